/**
 * A study like the demo, but whose coded quotes name third parties, towns, organisations and first
 * names alone — everything a pseudonymised report must not let through.
 */
import type { Client } from '../helpers/server.ts';

const ELODIE = [
  '[00:00:05] Enquêtrice : Bonjour Élodie. Pouvez-vous présenter le Théâtre des Tilleuls ?',
  '[00:00:20] Élodie Marchand : Oui. Je suis directrice administrative et financière au Théâtre des Tilleuls, à Saint-Aubin. Je travaille avec Hugo Bertin, notre régisseur, et Mme Fabre suit la billetterie.',
  '[00:01:10] Enquêtrice : Et le Festival des Ormeaux, vous y allez ?',
  '[00:01:30] Élodie Marchand : Avec Hugo on y va chaque été, à Brévilly. Léa Fabre nous accueille. Les outils, on ressaisit tout deux fois. Écrivez-moi à contact@tilleuls-exemple.org ou au 06 12 34 56 78.',
].join('\n');

const MARIE_LAURE = [
  '[00:00:03] Enquêteur : Vous connaissez le travail d’Élodie ?',
  '[00:00:15] Marie-Laure Colin : Oui. Colin, c’est mon nom, et la Compagnie du Héron, à Villefranche-sur-Loire, c’est la mienne. Sami Haddad, notre chargé de diffusion, parle souvent de M. Garnier.',
  '[00:00:50] Enquêteur : Et pour les tableaux ?',
  '[00:01:05] Marie-Laure Colin : Je suis née le 12/03/1978, alors les tableurs, vous savez… Marie-Laure, c’est moi qui fais tout.',
].join('\n');

/** Every name that must be gone from a pseudonymised export once the suggestions are accepted. */
export const IDENTIFYING = [
  'Élodie Marchand',
  'Élodie',
  'Marchand',
  'Marie-Laure Colin',
  'Marie-Laure',
  'Colin',
  'Théâtre des Tilleuls',
  'Saint-Aubin',
  'directrice administrative et financière',
  'Compagnie du Héron',
  'Villefranche-sur-Loire',
  'Hugo Bertin',
  'Hugo',
  'Bertin',
  'Fabre',
  'Léa',
  'Festival des Ormeaux',
  'Brévilly',
  'Sami Haddad',
  'Sami',
  'Haddad',
  'Garnier',
];

/** The passages coded, by document: each a part of a turn, or one spanning two turns. */
const CODED: Record<'elodie' | 'marieLaure', string[]> = {
  elodie: [
    'Bonjour Élodie. Pouvez-vous présenter le Théâtre des Tilleuls ?',
    'Je suis directrice administrative et financière au Théâtre des Tilleuls, à Saint-Aubin. Je travaille avec Hugo Bertin, notre régisseur, et Mme Fabre suit la billetterie.',
    'Et le Festival des Ormeaux, vous y allez ?\n[00:01:30] Élodie Marchand : Avec Hugo on y va chaque été, à Brévilly. Léa Fabre nous accueille.',
    'Les outils, on ressaisit tout deux fois. Écrivez-moi à contact@tilleuls-exemple.org ou au 06 12 34 56 78.',
  ],
  marieLaure: [
    'Vous connaissez le travail d’Élodie ?',
    'Colin, c’est mon nom, et la Compagnie du Héron, à Villefranche-sur-Loire, c’est la mienne. Sami Haddad, notre chargé de diffusion, parle souvent de M. Garnier.',
    'Je suis née le 12/03/1978, alors les tableurs, vous savez… Marie-Laure, c’est moi qui fais tout.',
  ],
};

/** Code-point offsets of `passage` in `text`. */
function spanOf(text: string, passage: string): { start: number; end: number } {
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`publication study: « ${passage} » is not in the text`);
  const start = [...text.slice(0, at)].length;
  return { start, end: start + [...passage].length };
}

async function ok<T>(what: string, call: Promise<{ status: number; body: T }>): Promise<T> {
  const res = await call;
  if (res.status >= 300)
    throw new Error(`publication study: ${what} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Builds the study in a new project led by `client`; returns its API base path. */
export async function buildPublicationStudy(client: Client): Promise<{ pid: string; base: string }> {
  const project = await ok('project', client.post('/api/projects', { name: 'Billetteries en Occitanie' }));
  const pid = (project as { id: string }).id;
  const base = `/api/projects/${pid}`;
  await ok(
    'attributes',
    client.put(`${base}/attributes`, {
      attributes: [
        { name: 'structure', type: 'text' },
        { name: 'ville', type: 'text' },
        { name: 'fonction', type: 'text' },
        { name: 'région', type: 'choice', choices: ['Occitanie', 'Bretagne'] },
      ],
    }),
  );
  const people = [
    {
      key: 'elodie',
      name: 'Élodie Marchand',
      text: ELODIE,
      attributes: {
        structure: 'Théâtre des Tilleuls',
        ville: 'Saint-Aubin',
        fonction: 'directrice administrative et financière',
        région: 'Occitanie',
      },
    },
    {
      key: 'marieLaure',
      name: 'Marie-Laure Colin',
      text: MARIE_LAURE,
      attributes: {
        structure: 'Compagnie du Héron',
        ville: 'Villefranche-sur-Loire',
        fonction: 'chargée de production',
        région: 'Occitanie',
      },
    },
  ] as const;
  const codes = ['Redondance de saisie', 'Outils', 'Partenaires'];
  const codeIds: string[] = [];
  for (const name of codes)
    codeIds.push(((await ok('code', client.post(`${base}/codes`, { name }))) as { id: string }).id);
  for (const person of people) {
    const participant = (await ok(
      'participant',
      client.post(`${base}/participants`, { name: person.name, attributes: person.attributes }),
    )) as { id: string };
    const added = (await ok(
      'document',
      client.post(`${base}/documents`, { name: `entretien-${person.key}.txt`, text: person.text }),
    )) as { documents: { id: string }[] };
    const documentId = added.documents[0]?.id as string;
    await ok('link', client.patch(`${base}/documents/${documentId}`, { participantId: participant.id }));
    for (const [i, passage] of CODED[person.key].entries()) {
      const span = spanOf(person.text, passage);
      await ok(
        'coding',
        client.post(`${base}/codings`, {
          documentId,
          codeId: codeIds[i % codeIds.length],
          ...span,
          memo: i === 1 ? `Relire avec ${person.name.split(' ')[0]} et Hugo.` : '',
        }),
      );
    }
    if (person.key === 'elodie') {
      await ok(
        'document memo',
        client.patch(`${base}/documents/${documentId}`, {
          memo: 'Entretien à Saint-Aubin ; Sami Haddad était présent.',
        }),
      );
    }
  }
  await ok(
    'journal entry',
    client.post(`${base}/journal`, {
      date: '2026-03-02',
      title: 'Après l’entretien avec Élodie Marchand',
      text: 'Rappeler Hugo Bertin au Théâtre des Tilleuls pour les chiffres de la billetterie.\n\nComparer avec la Compagnie du Héron.',
    }),
  );
  return { pid, base };
}
