import { createSignal } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { ACCEPTED_EXTENSIONS } from './upload-batches.ts';

/**
 * Where transcript files are dropped, or picked with the system's file chooser (keyboard: the
 * « Choisir des fichiers » control is a real file input). Every drop or pick is handed over as one
 * batch.
 */
export function DropZone(props: { disabled?: boolean; onFiles: (files: File[]) => void }) {
  const [over, setOver] = createSignal(false);
  // dragenter/dragleave fire for every child crossed: count them to know when the pointer left.
  let depth = 0;

  const hasFiles = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].includes('Files');

  return (
    <div
      class="drop-zone"
      classList={{ over: over() }}
      data-testid="drop-zone"
      onDragEnter={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        depth += 1;
        setOver(true);
      }}
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth = Math.max(0, depth - 1);
        if (depth === 0) setOver(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        depth = 0;
        setOver(false);
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length > 0 && !props.disabled) props.onFiles(files);
      }}
    >
      <p class="drop-title" id="drop-title">
        {t('import.dropTitle')}
      </p>
      <p class="muted small" id="drop-hint">
        {t('import.dropHint', { formats: ACCEPTED_EXTENSIONS.join(' ') })}
      </p>
      <input
        id="import-files"
        class="visually-hidden"
        type="file"
        multiple
        accept={ACCEPTED_EXTENSIONS.join(',')}
        aria-describedby="drop-hint"
        disabled={props.disabled}
        onChange={(event) => {
          const input = event.currentTarget;
          const files = [...(input.files ?? [])];
          // Reset first so that picking the same files again still fires a change.
          input.value = '';
          if (files.length > 0) props.onFiles(files);
        }}
      />
      <label for="import-files" class="file-button">
        {t('import.choose')}
      </label>
    </div>
  );
}
