import { attributeValueOf } from '../../../shared/attributes.ts';
import type { Participant } from '../../../shared/model.ts';
import { attributePublication } from '../../../shared/publication.ts';
import { createEffect, createResource, createSignal, type Accessor } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, unwrap } from '../../api/client.ts';
import { t } from '../../i18n/index.ts';
import { downloadFile, type DownloadProgress } from './download.ts';
import { defaultExportChoices, exportQuery, type ExportChoices, type ExportQuery } from './export-query.ts';

export type Format = 'report.docx' | 'codings.csv' | 'codings.xlsx';

const project = () => api.projects[':projectId'];

/** What the export page reads about the project: itself, its codes, members and participants. */
function createExportSources(projectId: Accessor<string>) {
  const param = () => ({ param: { projectId: projectId() } });
  const [info] = createResource(projectId, async () => unwrap(project().$get(param())));
  const [codes] = createResource(projectId, async () => (await unwrap(project().codes.$get(param()))).codes);
  const [members] = createResource(
    projectId,
    async () => (await unwrap(project().members.$get(param()))).members,
  );
  const [participants] = createResource(projectId, async () => unwrap(project().participants.$get(param())));
  return { param, info, codes, members, participants };
}

/**
 * The export's choices, with their defaults once the participants are known: break down by the
 * first choice attribute, cite the attributes that may be published.
 */
function createExportChoices(participants: ReturnType<typeof createExportSources>['participants']) {
  const [choices, setChoices] = createStore<ExportChoices>(defaultExportChoices());
  const [defaultsSet, setDefaultsSet] = createSignal(false);
  const attributes = () => participants()?.attributes ?? [];
  /** Whether each attribute may be cited in a pseudonymised export, and why (as the server decides). */
  const publication = () =>
    new Map(
      attributePublication(
        attributes(),
        (participants()?.participants ?? []) as unknown as readonly Participant[],
      ).map((p) => [p.name, p]),
    );
  const citable = (name: string) => !choices.pseudonymise || publication().get(name)?.publishable === true;
  // Once the attributes are known: break down by the first choice attribute, cite the publishable ones.
  createEffect(() => {
    if (defaultsSet() || !participants()) return;
    setChoices({
      breakdown: attributes().find((a) => a.type === 'choice')?.name ?? '',
      cite: attributes()
        .filter((a) => publication().get(a.name)?.publishable === true)
        .map((a) => a.name),
    });
    setDefaultsSet(true);
  });
  // Pseudonymising again drops the attributes that may not be cited.
  createEffect(() => {
    if (choices.pseudonymise) setChoices('cite', (cite) => cite.filter((n) => citable(n)));
  });
  const valuesOf = (name: string) =>
    [
      ...new Set(
        (participants()?.participants ?? [])
          .map((p) => attributeValueOf(p.attributes, name))
          .filter((v) => v !== undefined)
          .map(String),
      ),
    ].sort((a, b) => a.localeCompare(b, 'fr'));
  const query = () => (defaultsSet() ? exportQuery(choices) : undefined);
  return { choices, setChoices, attributes, publication, citable, valuesOf, query };
}

/** A download of one export file, with its progress, the message once done, and its error. */
function createDownloads(urlOf: (file: Format, query: ExportQuery) => string, choices: ExportChoices) {
  const [progress, setProgress] = createSignal<{ file: string; at: DownloadProgress } | undefined>();
  const [done, setDone] = createSignal('');
  const [error, setError] = createSignal<unknown>();
  const download = async (file: Format) => {
    setError(undefined);
    setDone('');
    setProgress({ file, at: { received: 0, total: null } });
    try {
      const name = await downloadFile(urlOf(file, exportQuery(choices)), file, (at) =>
        setProgress({ file, at }),
      );
      setDone(t('export.downloaded', { file: name }));
    } catch (caught) {
      setError(caught);
    } finally {
      setProgress(undefined);
    }
  };
  return { progress, done, error, setError, download };
}

/** Everything the export page shows and does: its sources, choices, preview and downloads. */
export function createExportState(projectId: Accessor<string>) {
  const sources = createExportSources(projectId);
  const selection = createExportChoices(sources.participants);
  const urlOf = (file: Format, query: ExportQuery) =>
    project()
      .exports[file].$url({ ...sources.param(), query })
      .toString();
  const [version, setVersion] = createSignal(0);
  const [preview] = createResource(
    () => {
      const q = selection.query();
      return q === undefined ? undefined : { query: q, v: version() };
    },
    ({ query }) => unwrap(project().exports['report-preview'].$get({ ...sources.param(), query })),
  );
  return {
    ...sources,
    ...selection,
    isLead: () => sources.info()?.role === 'lead',
    version,
    setVersion,
    preview,
    ...createDownloads(urlOf, selection.choices),
  };
}

export type ExportState = ReturnType<typeof createExportState>;
