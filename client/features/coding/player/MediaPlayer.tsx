import { For, Show } from 'solid-js';
import { formatNumber, t } from '../../../i18n/index.ts';
import { formatTime } from '../../../../shared/time.ts';
import { SKIP_SECONDS, SPEEDS, type Player, type Recording } from './player.ts';
import './player.css';

/**
 * The compact player of the coding view, fixed at the bottom of the window so that it stays in view
 * while the transcript scrolls: play/pause, back and forward 5 s, speed, volume, following the text.
 * A video shows above it in a small frame the user can resize.
 */
export function MediaPlayer(props: { player: Player; recording: Recording; src: string }) {
  const video = () => props.recording.type.startsWith('video/');
  return (
    <section class="media-player" aria-label={t('player.region', { name: props.recording.name })}>
      <Show
        when={video()}
        fallback={
          <audio ref={(element) => props.player.attach(element)} src={props.src} preload="metadata" />
        }
      >
        <div class="media-video-frame">
          <video
            ref={(element) => props.player.attach(element)}
            src={props.src}
            preload="metadata"
            playsinline
            aria-label={t('player.video')}
          />
        </div>
      </Show>
      <MediaControls player={props.player} recording={props.recording} />
      <Show when={props.player.failed()}>
        <p class="media-error" role="alert">
          {t('player.failed')}
        </p>
      </Show>
    </section>
  );
}

/** Play/pause, back and forward, the position, speed, volume, and following the text. */
function MediaControls(props: { player: Player; recording: Recording }) {
  const position = () => {
    const duration = props.player.duration() ?? props.recording.duration;
    const current = formatTime(props.player.time());
    return duration === undefined ? current : `${current} / ${formatTime(duration)}`;
  };
  return (
    <div class="media-controls">
      <button
        type="button"
        class="small-button"
        aria-label={t('player.back', { seconds: SKIP_SECONDS })}
        title={t('player.back', { seconds: SKIP_SECONDS })}
        onClick={() => props.player.skip(-SKIP_SECONDS)}
      >
        −{SKIP_SECONDS} s
      </button>
      <button type="button" class="primary media-toggle" onClick={() => props.player.toggle()}>
        {props.player.playing() ? t('player.pause') : t('player.play')}
      </button>
      <button
        type="button"
        class="small-button"
        aria-label={t('player.forward', { seconds: SKIP_SECONDS })}
        title={t('player.forward', { seconds: SKIP_SECONDS })}
        onClick={() => props.player.skip(SKIP_SECONDS)}
      >
        +{SKIP_SECONDS} s
      </button>
      <output class="media-time" aria-label={t('player.position')}>
        {position()}
      </output>
      <label class="media-field">
        <span>{t('player.speed')}</span>
        <select
          value={String(props.player.rate())}
          onChange={(e) => props.player.setRate(Number(e.currentTarget.value))}
        >
          <For each={SPEEDS}>{(speed) => <option value={String(speed)}>{formatNumber(speed)}×</option>}</For>
        </select>
      </label>
      <label class="media-field">
        <span>{t('player.volume')}</span>
        <input
          type="range"
          min="0"
          max="1"
          step="0.05"
          value={props.player.volume()}
          onInput={(e) => props.player.setVolume(Number(e.currentTarget.value))}
        />
      </label>
      <label class="media-field">
        <input
          type="checkbox"
          checked={props.player.follow()}
          onChange={(e) => props.player.setFollow(e.currentTarget.checked)}
        />
        <span>{t('player.follow')}</span>
      </label>
    </div>
  );
}
