/**
 * French-like interview transcripts about IT in live performance (billetterie, planification,
 * ressaisie…): real French words in plausible sentences, with French typography (« guillemets »,
 * elisions with ’, a space before ? and !), fillers of spoken French, and an occasional emoji so
 * that offsets outside the Basic Multilingual Plane are exercised too.
 */
import type { Random } from './random.ts';

/** One speaker turn: who speaks, when (seconds into the recording), and the sentences said. */
export interface InterviewTurn {
  readonly speaker: string;
  readonly time: number;
  readonly sentences: readonly string[];
}

export interface Interview {
  readonly title: string;
  readonly interviewer: string;
  readonly participant: string;
  readonly turns: readonly InterviewTurn[];
  readonly words: number;
}

export const FIRST_NAMES = [
  'Camille',
  'Hélène',
  'Inès',
  'Thierry',
  'Mathilde',
  'Julien',
  'Sophie',
  'Karim',
  'Élodie',
  'Nicolas',
  'Amélie',
  'Bastien',
  'Chloé',
  'Damien',
  'Estelle',
  'François',
  'Gaëlle',
  'Hugo',
  'Isabelle',
  'Jérôme',
  'Léa',
  'Malik',
  'Nathalie',
  'Olivier',
  'Pauline',
  'Quentin',
  'Rachida',
  'Stéphane',
  'Agnès',
  'Yannick',
  'Zoé',
  'Benoît',
  'Céline',
  'Denis',
  'Émilie',
  'Fabrice',
  'Laëtitia',
  'Manon',
  'Noémie',
  'Rémi',
];

export const LAST_NAMES = [
  'Roussel',
  'Benali',
  'Vasseur',
  'Martin',
  'Lefèvre',
  'Moreau',
  'Garnier',
  'Chevalier',
  'Fontaine',
  'Mercier',
  'Dubois',
  'Lambert',
  'Bonnet',
  'François',
  'Girard',
  'Faure',
  'Rousseau',
  'Blanc',
  'Guérin',
  'Muller',
  'Henry',
  'Roux',
  'Nicolas',
  'Perrin',
  'Morin',
  'Mathieu',
  'Clément',
  'Gauthier',
  'Dumont',
  'Lopez',
  'Fournier',
  'Brun',
  'Meunier',
  'Barbier',
  'Arnaud',
  'Giraud',
  'Leroy',
  'Caron',
  'Renard',
  'Schmitt',
];

const TOOLS = [
  'le logiciel de billetterie',
  'le tableur',
  'un fichier Excel partagé',
  'le logiciel de paie',
  'l’outil de planification',
  'le logiciel de compta',
  'notre base de données maison',
  'le site internet',
  'l’agenda partagé',
  'la messagerie',
  'le logiciel de régie',
  'le CRM',
  'l’outil de newsletter',
  'le drive',
  'le logiciel de gestion des contrats',
];

const DATA = [
  'les données des spectateurs',
  'les fiches techniques',
  'les feuilles de route',
  'les contrats des intermittents',
  'les abonnements',
  'les plannings des techniciens',
  'les factures des prestataires',
  'les jauges',
  'les coordonnées des compagnies',
  'les bilans de fréquentation',
  'les déclarations de la SACEM',
  'les dossiers de subvention',
  'les tarifs réduits',
  'les listes d’attente',
  'les fichiers clients',
];

const TASKS = [
  'préparer la saison',
  'faire la paie',
  'monter les plannings',
  'envoyer la newsletter',
  'répondre aux spectateurs',
  'boucler les bilans',
  'remplir les dossiers de subvention',
  'accueillir les compagnies',
  'organiser la tournée',
  'gérer les abonnements',
  'calculer les coûts',
  'vérifier l’accessibilité des salles',
  'suivre les ventes',
  'établir les devis',
  'archiver les contrats',
];

const PROBLEMS = [
  'rien ne communique',
  'on ressaisit tout à la main',
  'les exports ne sont jamais au bon format',
  'personne ne sait qui a la dernière version',
  'le prestataire ne répond pas',
  'ça plante en pleine vente',
  'les licences coûtent une fortune',
  'le RGPD nous oblige à tout revoir',
  'on perd des données',
  'l’interface n’est pas accessible',
  'il faut tout recopier dans le tableur',
  'la mise à jour a tout cassé',
  'on n’a pas le temps de se former',
  'les droits d’accès sont mal réglés',
  'la synchronisation échoue',
];

const PEOPLE = [
  'l’administratrice',
  'le directeur technique',
  'la chargée de communication',
  'le régisseur général',
  'notre comptable',
  'la responsable billetterie',
  'les bénévoles',
  'le prestataire',
  'la direction',
  'les intermittents',
  'l’équipe d’accueil',
  'la chargée de production',
  'le service informatique de la ville',
];

const DURATIONS = [
  'une demi-journée',
  'deux heures',
  'toute une matinée',
  'trois jours par mois',
  'une bonne heure',
  'la moitié de mon temps',
  'des soirées entières',
  'une semaine à chaque rentrée',
];

const CLAUSES: readonly ((r: Random) => string)[] = [
  (r) => `on utilise ${r.pick(TOOLS)} pour ${r.pick(TASKS)}`,
  (r) => `le problème, c’est que ${r.pick(PROBLEMS)}`,
  (r) => `en fait on ressaisit ${r.pick(DATA)} dans ${r.pick(TOOLS)}`,
  (r) => `chaque semaine je passe ${r.pick(DURATIONS)} à ${r.pick(TASKS)}`,
  (r) => `${r.pick(PEOPLE)} nous demande ${r.pick(DATA)} pour ${r.pick(TASKS)}`,
  (r) => `avec le RGPD, on doit faire attention à ${r.pick(DATA)}`,
  (r) => `${r.pick(TOOLS)} ne communique pas avec ${r.pick(TOOLS)}`,
  (r) => `c’est ${r.pick(PEOPLE)} qui s’occupe de ${r.pick(TASKS)}`,
  (r) => `quand ${r.pick(PROBLEMS)}, on appelle ${r.pick(PEOPLE)}`,
  (r) => `les coûts de ${r.pick(TOOLS)} ont doublé en ${r.int(2, 6)} ans`,
  (r) => `on a ${r.int(2, 40)} salariés permanents et ${r.int(5, 120)} intermittents`,
  (r) => `pour l’accessibilité, ${r.pick(TOOLS)} n’est pas du tout adapté`,
  (r) => `j’exporte ${r.pick(DATA)} depuis ${r.pick(TOOLS)} et je les recolle ailleurs`,
  (r) => `on a essayé de changer de logiciel, mais ${r.pick(PROBLEMS)}`,
  () => `la planification des équipes se fait encore sur papier`,
  (r) => `d’une saison à l’autre, ${r.pick(DATA)} changent de format`,
  () => `il faudrait un outil qui fasse le lien entre la billetterie et la compta`,
  (r) => `${r.pick(PEOPLE)} garde ${r.pick(DATA)} dans son propre tableur`,
  (r) => `la formation au nouveau logiciel a duré ${r.pick(DURATIONS)}`,
  (r) => `on n’a aucune visibilité sur ${r.pick(DATA)}`,
];

const QUESTIONS: readonly ((r: Random) => string)[] = [
  (r) =>
    `est-ce que vous pouvez me parler de la façon dont vous ${r.pick(['préparez la saison', 'gérez la billetterie', 'faites la paie', 'montez les plannings'])}`,
  (r) => `comment vous gérez ${r.pick(DATA)}`,
  (r) => `qu’est-ce qui se passe quand ${r.pick(PROBLEMS)}`,
  (r) => `vous utilisez ${r.pick(TOOLS)} depuis combien de temps`,
  () => `qui décide du choix des logiciels chez vous`,
  (r) => `combien de temps vous passez à ${r.pick(TASKS)}`,
  (r) => `et ${r.pick(PEOPLE)}, comment elle ou il travaille avec vous`,
  () => `qu’est-ce que vous changeriez en premier si vous pouviez`,
];

const FILLERS = [
  'euh',
  'bon',
  'alors',
  'en fait',
  'du coup',
  'voilà',
  'enfin',
  'disons',
  'bah',
  'franchement',
];
const CONNECTORS = ['mais', 'et puis', 'parce que', 'donc', 'alors que', 'sauf que', 'du coup', 'et'];
const EMOJI = ['😅', '🙂', '👍', '🤷'];

function capitalise(sentence: string): string {
  return sentence.charAt(0).toLocaleUpperCase('fr') + sentence.slice(1);
}

function wordCount(text: string): number {
  let n = 0;
  for (const w of text.split(' ')) if (w !== '') n++;
  return n;
}

/** One sentence of an answer. French typography: no-break space before ? ! and inside « ». */
function answerSentence(r: Random, emoji: boolean): string {
  let s = r.pick(CLAUSES)(r);
  if (r.chance(0.35)) s = `${r.pick(FILLERS)}, ${s}`;
  if (r.chance(0.4)) s = `${s}, ${r.pick(CONNECTORS)} ${r.pick(CLAUSES)(r)}`;
  if (r.chance(0.08)) s = `${s}, comme dit ${r.pick(PEOPLE)} : «\u00a0${r.pick(PROBLEMS)}\u00a0»`;
  const end = r.next();
  s = capitalise(s) + (end < 0.8 ? '.' : end < 0.88 ? '\u00a0!' : end < 0.95 ? '…' : '\u00a0?');
  if (emoji && r.chance(0.01)) s += ` ${r.pick(EMOJI)}`;
  return s;
}

function questionSentence(r: Random): string {
  const s = capitalise(r.pick(QUESTIONS)(r));
  return r.chance(0.3)
    ? `${capitalise(r.pick(FILLERS))}, ${s.charAt(0).toLowerCase()}${s.slice(1)}\u00a0?`
    : `${s}\u00a0?`;
}

/**
 * An interview of about `words` words: the interviewer asks short questions, the participant answers
 * at length. `emoji: false` keeps to characters that Windows-1252 can encode.
 */
export function generateInterview(
  r: Random,
  options: { words: number; participant: string; title: string; emoji?: boolean },
): Interview {
  const interviewer = r.chance(0.7) ? 'Enquêtrice' : 'Enquêteur';
  const turns: InterviewTurn[] = [];
  let words = 0;
  let time = r.int(2, 8);
  while (words < options.words) {
    const question = [questionSentence(r)];
    const qWords = wordCount(question[0] as string);
    turns.push({ speaker: interviewer, time, sentences: question });
    words += qWords;
    time += Math.round(qWords / 2.5) + r.int(1, 3);
    const answer: string[] = [];
    const count = r.int(3, 12);
    let aWords = 0;
    for (let i = 0; i < count; i++) {
      const sentence = answerSentence(r, options.emoji ?? true);
      answer.push(sentence);
      aWords += wordCount(sentence);
    }
    turns.push({ speaker: options.participant, time, sentences: answer });
    words += aWords;
    time += Math.round(aWords / 2.5) + r.int(1, 4);
  }
  return { title: options.title, interviewer, participant: options.participant, turns, words };
}

/** `[hh:mm:ss]` */
export function clock(seconds: number, separator = ':'): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(separator);
}

/** The interview as a plain-text transcript: a header, then `[hh:mm:ss] Name : speech` lines. */
export function interviewText(interview: Interview): string {
  const minutes = Math.round((interview.turns.at(-1)?.time ?? 0) / 60);
  const lines = [interview.title, `Entretien enregistré, durée ${minutes} min.`, ''];
  for (const turn of interview.turns) {
    lines.push(`[${clock(turn.time)}] ${turn.speaker} : ${turn.sentences.join(' ')}`);
  }
  return lines.join('\n') + '\n';
}
