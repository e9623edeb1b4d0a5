/**
 * A document's recording, for its project's leads: attach one (with upload progress), replace it,
 * remove it (undoable). Members listen to it in the coding view.
 */
import { createSignal, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { uploadFiles } from '../../api/upload.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import './projects.css';

interface Recording {
  readonly name: string;
  readonly size: number;
  readonly duration?: number | undefined;
}

/** « 12,5 Mo », « 850 Ko ». */
function size(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${formatNumber(Math.round((bytes / 1024 / 1024) * 10) / 10)} Mo`
    : `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} Ko`;
}

/** Upload (with its progress) or remove a document's recording; `onChange` runs after either. */
function createRecordingUpload(props: { projectId: string; documentId: string; onChange: () => void }) {
  const [progress, setProgress] = createSignal<number>();
  const [error, setError] = createSignal<unknown>();
  const route = () =>
    api.projects[':projectId'].documents[':documentId'].media.$url({
      param: { projectId: props.projectId, documentId: props.documentId },
    });
  const upload = async (file: File) => {
    setError(undefined);
    setProgress(0);
    try {
      await uploadFiles(route(), [file], ({ loaded, total }) =>
        setProgress(Math.round((loaded / total) * 100)),
      );
      props.onChange();
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(undefined);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await unwrap(
        api.projects[':projectId'].documents[':documentId'].media.$delete({
          param: { projectId: props.projectId, documentId: props.documentId },
        }),
      );
      props.onChange();
    } catch (failure) {
      setError(failure);
    }
  };
  return { progress, error, setError, upload, remove };
}

export function RecordingControl(props: {
  projectId: string;
  documentId: string;
  documentName: string;
  media: Recording | undefined;
  onChange: () => void;
}) {
  const { progress, error, setError, upload, remove } = createRecordingUpload(props);
  return (
    <div class="recording-control">
      <Show when={props.media}>
        {(media) => (
          <span class="small muted">
            {t('recording.attached', { name: media().name, size: size(media().size) })}
          </span>
        )}
      </Show>
      <label class="small-button file-button">
        {props.media ? t('recording.replace') : t('recording.attach')}
        <input
          type="file"
          class="visually-hidden"
          accept="audio/*,video/mp4,video/webm,.wav,.mp3,.m4a,.aac,.ogg,.opus,.flac,.webm,.mp4"
          aria-label={t('recording.fileOf', { name: props.documentName })}
          disabled={progress() !== undefined}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void upload(file);
          }}
        />
      </label>
      <Show when={props.media && progress() === undefined}>
        <button
          type="button"
          class="small-button"
          aria-label={t('recording.removeOf', { name: props.documentName })}
          onClick={() => void remove()}
        >
          {t('recording.remove')}
        </button>
      </Show>
      <Show when={progress() !== undefined}>
        <progress
          max="100"
          value={progress()}
          aria-label={t('recording.uploading', { name: props.documentName })}
        />
      </Show>
      <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
    </div>
  );
}
