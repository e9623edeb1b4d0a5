import { t } from '../../../i18n/index.ts';
import type { SyncPoint } from '../../../../shared/sync-points.ts';
import { formatTime } from '../../../../shared/time.ts';
import { MediaPlayer } from './MediaPlayer.tsx';
import type { Player, Recording } from './player.ts';
import { syncTranscript } from './transcript-sync.ts';

/** The player, bound to the transcript of the page it is on. */
export function TranscriptPlayer(props: {
  player: Player;
  recording: Recording;
  src: string;
  points: () => readonly SyncPoint[];
  root: () => HTMLElement;
  announce: (message: string) => void;
}) {
  syncTranscript(props, (seconds) => t('player.playingFrom', { time: formatTime(seconds) }));
  return <MediaPlayer player={props.player} recording={props.recording} src={props.src} />;
}
