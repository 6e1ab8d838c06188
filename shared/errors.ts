import type { z } from 'zod';

/** Error codes every transport carries unchanged (IPC, HTTP bridge, CLI). */
export type ApiErrorCode = 'validation' | 'not_found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'locked' | 'business' | 'unknown_method' | 'internal';

export interface FieldIssue {
  /** Dotted path of the field, e.g. `timetable.0.start`. */
  path: string;
  message: string;
}

export interface ApiError {
  code: ApiErrorCode;
  /** One French sentence for people. */
  message: string;
  issues?: FieldIssue[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** A domain error thrown by services; transports turn it into an {@link ApiError}. */
export class AppError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: FieldIssue[] | undefined;
  /** Exit code for the CLI, when a failure deserves its own (e.g. 3: the ledger is altered). */
  readonly exitCode: number | undefined;
  constructor(code: ApiErrorCode, message: string, issues?: FieldIssue[], exitCode?: number) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
    this.exitCode = exitCode;
  }
  toJSON(): ApiError {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

/** French labels of field names, so messages name the field the way people read it on screen. */
export const FIELD_LABELS: Record<string, string> = {
  name: 'nom', siret: 'SIRET', nda: "numéro de déclaration d'activité", qualiopiValidUntil: 'validité Qualiopi',
  legalRepresentative: 'représentant légal', address: 'adresse', postcode: 'code postal', city: 'ville',
  email: 'e-mail', phone: 'téléphone', lastName: 'nom', firstName: 'prénom', birthDate: 'date de naissance',
  nir: 'NIR', franceTravailId: 'identifiant France Travail', kind: 'statut', title: 'intitulé', code: 'code',
  certificationCode: 'code RNCP/RS', level: 'niveau', nsfCode: 'code NSF', plannedMinutes: 'durée prévue',
  modality: 'modalité', nature: 'nature', actionId: 'action', label: 'libellé', mode: 'type de session',
  capacity: 'capacité', startDate: 'date de début', endDate: 'date de fin', placeId: 'lieu', sessionId: 'session',
  from: 'du', to: 'au', timetable: 'planning', weekday: 'jour', halfDay: 'demi-journée', start: 'début', end: 'fin',
  trainerIds: 'formateurs', traineeId: 'stagiaire', companyId: 'entreprise', funderCode: 'financeur',
  fileNumber: 'numéro de dossier', plannedStart: 'début prévu', plannedEnd: 'fin prévue', status: 'statut',
  effectiveDate: "date d'effet", reason: 'motif', outcome: 'résultat', slotIds: 'créneaux', headcount: 'effectif',
  holidayZone: 'zone de jours fériés', qpv: 'QPV', zrr: 'ZRR', id: 'identifiant', type: 'type', ref: 'référence',
  // Funding reference data (issue #10).
  grantBasisPoints: 'part de la subvention', rateCents: 'tarif', unit: 'unité', payerCategory: 'catégorie BPF', validFrom: 'début de validité',
  validTo: 'fin de validité', replacesId: 'version corrigée', programmeId: 'dispositif', majorations: 'majorations',
  // AFEST (issue #11).
  tutorId: 'tuteur', tutorDesignatedOn: 'date de désignation du tuteur', tutorAcceptedOn: "date d'acceptation du tuteur", facilitatorId: 'formateur animateur',
  conventionRef: 'référence de la convention', analysisDate: "date de l'analyse", workSituations: 'situations de travail', tasks: 'tâches',
  criticalPoints: 'points critiques', adaptations: 'adaptations pédagogiques', safetyPoints: 'points de sécurité', assessmentPlan: "plan d'évaluation",
  pathwayMinutes: 'durée du parcours', competences: 'compétences visées', blockCode: 'bloc de compétences', date: 'date', ledBy: 'animée par',
  workstation: 'poste de travail', intendedLearning: 'apprentissage visé', observations: 'observations', outOfProduction: 'hors production',
  reviewedIds: 'mises en situation analysées', competenceIds: 'compétences travaillées', gapExpected: 'attendu', gapDone: 'réalisé', gapAcquired: 'acquis',
  verbalised: 'compétences verbalisées', nextSteps: 'suites', learnerSignature: "signature de l'apprenant", leaderSignature: "signature de l'animateur",
  evaluatorKind: 'évaluateur', results: 'résultats', attachments: 'pièces jointes', jobTitle: 'fonction', tutorTraining: 'formation de tuteur',
  minSharePercent: 'part minimale', sequenceId: 'séquence', afestId: 'AFEST', enrolmentId: 'inscription',
  // A trainee's sensitive fields (issue #12, shared/domain/sensitive.ts).
  sensitive: 'données sensibles', rqth: 'RQTH reconnue', rqthUntil: 'fin de la RQTH', accommodations: 'aménagements nécessaires', benefits: 'prestations',
  benefitsOther: 'autre prestation', justiceFollowUp: 'suivi judiciaire', justiceNote: 'note de suivi judiciaire',
};

export function fieldLabel(path: readonly PropertyKey[]): string {
  const named = [...path].reverse().find((p) => typeof p === 'string');
  // Own labels only: a key named `__proto__` or `constructor` would read Object's own (« [object Object] »). An
  // empty key (sent by no screen) is named too, never left blank in the sentence.
  const label = typeof named === 'string' ? ((Object.hasOwn(FIELD_LABELS, named) ? FIELD_LABELS[named] : undefined) ?? (named || 'champ sans nom')) : 'donnée';
  const index = path.find((p) => typeof p === 'number');
  return typeof index === 'number' ? `${label} (ligne ${index + 1})` : label;
}

/** What a person reads for an id that matches nothing (see `id` in schemas/common.ts). */
export const LINK_TO_NOTHING = 'Ce lien ne correspond à aucun enregistrement.';

/** Turns zod issues into field issues and one French sentence naming the first field. */
export function validationError(error: z.ZodError, what = 'Saisie'): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = error.issues[0];
  const message = first
    ? `${what} invalide — ${fieldLabel(first.path)} : ${first.message}`
    : `${what} invalide.`;
  return new AppError('validation', message, issues);
}
