import { frenchDatesIn } from './domain/date-text';

/**
 * The one table of the backend's sentences in both languages. Messages are written in French where they
 * are produced (schemas, services, checks); at the edge (dispatch, the IPC gate, the form resolver) a
 * person's message goes through {@link localise}: dates become JJ/MM/AAAA, and in English mode a sentence
 * of this table becomes its English version. A sentence missing here stays French (never a raw code).
 * `{name}` in a template stands for any text; what it captured is localised too (a field name, a nested
 * message).
 */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** `en`, `en-US`, `en-GB` → 'en'; anything else, or nothing, → 'fr' (the app's language). */
export function asLocale(value: unknown): Locale {
  return typeof value === 'string' && /^en\b/i.test(value.trim()) ? 'en' : 'fr';
}

/** French field names as they appear in messages (see FIELD_LABELS in errors.ts) → English. */
const LABELS: Record<string, string> = {
  nom: 'name', SIRET: 'SIRET', "numéro de déclaration d'activité": 'activity declaration number', 'validité Qualiopi': 'Qualiopi validity',
  'représentant légal': 'legal representative', adresse: 'address', 'code postal': 'postcode', ville: 'city', 'e-mail': 'e-mail',
  téléphone: 'phone', prénom: 'first name', 'date de naissance': 'birth date', NIR: 'NIR', 'identifiant France Travail': 'France Travail id',
  statut: 'status', intitulé: 'title', code: 'code', 'code RNCP/RS': 'RNCP/RS code', niveau: 'level', 'code NSF': 'NSF code',
  'durée prévue': 'planned duration', modalité: 'modality', nature: 'nature', action: 'course', libellé: 'label', 'type de session': 'session type',
  capacité: 'capacity', 'date de début': 'start date', 'date de fin': 'end date', lieu: 'place', session: 'session', du: 'from', au: 'to',
  planning: 'timetable', jour: 'day', 'demi-journée': 'half-day', début: 'start', fin: 'end', formateurs: 'trainers', stagiaire: 'trainee',
  entreprise: 'company', financeur: 'funder', 'numéro de dossier': 'file number', 'début prévu': 'planned start', 'fin prévue': 'planned end',
  "date d'effet": 'effective date', motif: 'reason', résultat: 'outcome', créneaux: 'slots', effectif: 'headcount',
  matin: 'morning', 'après-midi': 'afternoon', 'le retard': 'the late arrival', 'le départ anticipé': 'the early departure',
  'le temps de connexion': 'the connection time',
  'part de la subvention': 'share of the grant', tarif: 'rate', unité: 'unit', 'catégorie BPF': 'BPF category', 'début de validité': 'valid from',
  'fin de validité': 'valid to', 'version corrigée': 'corrected version', dispositif: 'programme', majorations: 'top-ups',
  'zone de jours fériés': 'public holiday zone', QPV: 'QPV', ZRR: 'ZRR', identifiant: 'identifier', type: 'type', référence: 'reference', donnée: 'data', 'champ sans nom': 'unnamed field',
  // What an AFEST's set-up lacks, and what a sequence overlaps (shared/domain/afest.ts), listed inside its sentences.
  'sa date': 'its date', 'les situations de travail retenues': 'the chosen work situations', 'les tâches': 'the tasks',
  'au moins une compétence visée': 'at least one target competence', 'le tuteur': 'the tutor', 'la date de désignation': 'the designation date',
  "la date d'acceptation du tuteur": "the tutor's acceptance date", 'la mise en situation': 'the work situation', 'la séquence réflexive': 'the reflective sequence',
  // AFEST field names (FIELD_LABELS in errors.ts).
  tuteur: 'tutor', 'date de désignation du tuteur': "tutor's designation date", "date d'acceptation du tuteur": "tutor's acceptance date",
  'formateur animateur': 'facilitator', 'référence de la convention': 'convention reference', "date de l'analyse": 'analysis date',
  'situations de travail': 'work situations', tâches: 'tasks', 'points critiques': 'critical points', 'adaptations pédagogiques': 'teaching adaptations',
  'points de sécurité': 'safety points', "plan d'évaluation": 'assessment plan', 'durée du parcours': 'pathway duration', 'compétences visées': 'target competences',
  'bloc de compétences': 'competence block', date: 'date', 'animée par': 'led by', 'poste de travail': 'workstation', 'apprentissage visé': 'intended learning',
  observations: 'observations', 'hors production': 'out of production', 'mises en situation analysées': 'work situations reviewed',
  'compétences travaillées': 'competences worked on', attendu: 'expected', réalisé: 'done', acquis: 'acquired', 'compétences verbalisées': 'competences put into words',
  suites: 'next steps', "signature de l'apprenant": "learner's signature", "signature de l'animateur": "leader's signature", évaluateur: 'evaluator',
  résultats: 'results', 'pièces jointes': 'attachments', fonction: 'job title', 'formation de tuteur': 'tutor training', 'part minimale': 'minimum share',
  séquence: 'sequence', AFEST: 'AFEST', inscription: 'enrolment',
  // Accounts and the audit log (ROLE_LABELS in permissions.ts, AUDIT_ACTION_LABELS in schemas/audit.ts, PERMISSION_LABELS).
  administrateur: 'administrator', responsable: 'manager', 'personnel du centre': 'centre staff', formateur: 'trainer', auditeur: 'auditor',
  'Premier compte créé': 'First account created', Connexion: 'Sign-in', Déconnexion: 'Sign-out', Verrouillage: 'Lock', Déverrouillage: 'Unlock',
  'Code PIN du compte': "Account's PIN", 'Compte créé': 'Account created', 'Compte modifié': 'Account changed', 'Compte désactivé': 'Account disabled',
  'Compte réactivé': 'Account enabled again', 'Mot de passe changé': 'Password changed', 'Opération refusée': 'Operation refused', 'NIR affiché': 'NIR shown',
  'Export de données': 'Data export', 'Document imprimé': 'Document printed', 'Demande de paiement validée': 'Payment claim validated',
  'Preuve corrigée': 'Evidence corrected', Sauvegarde: 'Backup', 'Sauvegarde restaurée': 'Backup restored', 'Sauvegarde exportée': 'Backup exported',
  'Export RGPD': 'GDPR export', 'Effacement RGPD': 'GDPR erasure', 'Réglages de connexion modifiés': 'Sign-in settings changed',
  réussi: 'succeeded', échec: 'failed', refusé: 'refused',
  "consulter l'organisme": 'view the organisation', "modifier l'organisme et ses documents": 'change the organisation and its documents',
  'consulter le catalogue': 'view the catalogue', 'modifier le catalogue': 'change the catalogue', 'consulter les personnes': 'view people',
  'modifier les personnes': 'change people', 'voir le NIR et les données sensibles': 'see the NIR and sensitive data', 'consulter les sessions': 'view sessions',
  'modifier les sessions et leurs créneaux': 'change sessions and their slots', 'inscrire et changer le statut des inscriptions': 'enrol and change enrolment statuses',
  'consulter les présences': 'view attendance', "faire l'appel et corriger les présences": 'take the roll call and correct attendance',
  'importer des données': 'import data', 'exporter des données': 'export data', 'consulter les financements': 'view fundings',
  'modifier les financements': 'change fundings', 'consulter les demandes de paiement': 'view payment claims', 'préparer les demandes de paiement': 'prepare payment claims',
  'valider et transmettre les demandes de paiement': 'validate and send payment claims', 'consulter les AFEST': 'view AFESTs',
  'saisir les séquences et évaluations AFEST': 'record AFEST sequences and evaluations', 'mettre en place les AFEST et leurs tuteurs': 'set up AFESTs and their tutors',
  'consulter la synchronisation': 'view synchronisation', 'régler et lancer la synchronisation': 'set up and run synchronisation',
  "administrer Sillon (comptes, journal d'audit, sauvegardes)": 'administer Sillon (accounts, audit log, backups)',
  // A trainee's sensitive fields (FIELD_LABELS in errors.ts).
  'données sensibles': 'sensitive data', 'RQTH reconnue': 'RQTH recognised', 'fin de la RQTH': 'RQTH end date', 'aménagements nécessaires': 'accommodations needed',
  prestations: 'benefits', 'autre prestation': 'other benefit', 'suivi judiciaire': 'justice follow-up', 'note de suivi judiciaire': 'justice follow-up note',
  // What a sequence or an evaluation overlaps (busyProblem in shared/domain/afest.ts).
  "l'évaluation": 'the evaluation', 'le créneau de formation': 'the training slot', 'Mise en situation': 'Work situation', 'Séquence réflexive': 'Reflective sequence',
  Évaluation: 'Evaluation', "L'analyse de l'activité": 'The analysis of the work activity', 'La désignation du tuteur': "The tutor's designation", "L'acceptation du tuteur": "The tutor's acceptance",
};

/** [French template, English template]. The more specific first when two could match. */
const MESSAGES: readonly (readonly [string, string])[] = [
  // Validation, as composed by validationError (errors.ts).
  ['Saisie invalide — {field} : {message}', 'Invalid input — {field}: {message}'],
  ['Import invalide — {field} : {message}', 'Invalid import — {field}: {message}'],
  ['{field} (ligne {n})', '{field} (line {n})'],
  ['Saisie invalide.', 'Invalid input.'],
  ['Import invalide.', 'Invalid import.'],
  ['Ce lien ne correspond à aucun enregistrement.', 'This link matches no record.'],
  ['Identifiant invalide (UUID attendu).', 'This link matches no record.'],
  ['Identifiant invalide.', 'Invalid identifier.'],
  ['Indiquez la date de début.', 'Enter the start date.'],
  ['Indiquez la date de fin.', 'Enter the end date.'],
  ['Indiquez la date de naissance.', 'Enter the birth date.'],
  ["Indiquez la date d'effet.", 'Enter the effective date.'],
  ['Indiquez le début prévu.', 'Enter the planned start.'],
  ['Indiquez la fin prévue.', 'Enter the planned end.'],
  ['Indiquez la date de validité Qualiopi.', 'Enter the Qualiopi validity date.'],
  ['Indiquez la date.', 'Enter the date.'],
  ['Indiquez l’heure.', 'Enter the time.'],
  ['Date invalide : format JJ/MM/AAAA attendu (ex. 01/09/2026).', 'Invalid date: DD/MM/YYYY expected (e.g. 01/09/2026).'],
  ['Date hors du calendrier de Sillon : entre le {from} et le {to}.', "Date outside Sillon's calendar: between {from} and {to}."],
  ['Heure invalide : format HH:MM attendu (ex. 08:30).', 'Invalid time: HH:MM expected, 24-hour clock (e.g. 08:30).'],
  ['Horodatage ISO 8601 invalide.', 'Invalid timestamp.'],
  ['Durée invalide : nombre entier de minutes attendu.', 'Invalid duration: a whole number of minutes is expected.'],
  ['La durée ne peut pas être négative.', 'The duration cannot be negative.'],
  ['Montant invalide : nombre entier de centimes attendu.', 'Invalid amount: a whole number of cents is expected.'],
  ['Ce champ est obligatoire.', 'This field is required.'],
  // Accounts and sign-in (issue #12: shared/schemas/accounts.ts, shared/domain/accounts.ts, electron/backend/auth/).
  ['Identifiant obligatoire.', 'Login required.'],
  ['Identifiant invalide : 2 à 40 lettres minuscules, chiffres, points, tirets ou soulignés, en commençant par une lettre.', 'Invalid login: 2 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter.'],
  ['Mot de passe obligatoire.', 'Password required.'],
  ['Code PIN obligatoire.', 'PIN required.'],
  ['Code PIN invalide : 4 à 8 chiffres.', 'Invalid PIN: 4 to 8 digits.'],
  ['Rôle inconnu : administrateur, responsable, personnel du centre, formateur, tuteur ou auditeur.', 'Unknown role: administrator, manager, centre staff, trainer, tutor or auditor.'],
  ['Indiquez votre code PIN ou votre mot de passe.', 'Enter your PIN or your password.'],
  ['Nouveau mot de passe obligatoire.', 'New password required.'],
  ['Verrouillage : nombre de minutes attendu.', 'Lock: a number of minutes is expected.'],
  ['Verrouillage : nombre entier de minutes attendu.', 'Lock: a whole number of minutes is expected.'],
  ['Identifiant ou mot de passe incorrect.', 'Wrong login or password.'],
  ['Indiquez oui ou non.', 'Answer yes or no.'],
  ['Mot de passe trop court : au moins {n} caractères.', 'Password too short: at least {n} characters.'],
  ['Mot de passe trop long : au plus {n} caractères.', 'Password too long: at most {n} characters.'],
  ['Mot de passe trop simple : mêlez au moins trois sortes de caractères parmi minuscules, majuscules, chiffres et autres signes.', 'Password too simple: mix at least three kinds of characters among lower case, upper case, digits and other signs.'],
  ["Le mot de passe ne doit pas contenir l'identifiant.", 'The password must not contain the login.'],
  ["Votre rôle ({role}) ne permet pas de {what} : opération refusée, rien n'a été modifié.", 'Your role ({role}) does not allow you to {what}: operation refused, nothing was changed.'],
  ["Votre compte ne permet pas de {what} : opération refusée, rien n'a été modifié.", 'Your account does not allow you to {what}: operation refused, nothing was changed.'],
  ['Mot de passe incorrect.', 'Wrong password.'],
  ["Vous n'êtes pas connecté (ou votre session a pris fin) : connectez-vous pour continuer ; rien n'a été modifié.", 'You are not signed in (or your session ended): sign in to go on; nothing was changed.'],
  ["Session verrouillée après inactivité : saisissez votre code PIN ou votre mot de passe pour continuer ; rien n'a été modifié.", 'Session locked after inactivity: enter your PIN or your password to go on; nothing was changed.'],
  ['Ce champ est limité à {max} caractères.', 'This field is limited to {max} characters.'],
  ['SIRET obligatoire.', 'SIRET required.'],
  ['SIRET invalide : 14 chiffres dont la clé de contrôle (Luhn) doit être juste.', 'Invalid SIRET: 14 digits whose check key (Luhn) must be right.'],
  ['NIR invalide : 13 caractères suivis de la clé à 2 chiffres (97 − reste de la division par 97).', 'Invalid NIR: 13 characters followed by the 2-digit key (97 − remainder of the division by 97).'],
  // A trainee's NIR and sensitive fields (issue #12: shared/domain/sensitive.ts, electron/backend/privacy/).
  ['Prestation inconnue : RSA, ASS, AAH, ARE ou autre.', 'Unknown benefit: RSA, ASS, AAH, ARE or other.'],
  ['Suivi judiciaire : SPIP, PJJ ou aucun.', 'Justice follow-up: SPIP, PJJ or none.'],
  ['Fin de la RQTH : cochez d’abord « RQTH reconnue ».', 'RQTH end date: first tick “RQTH recognised”.'],
  ['Autre prestation : précisez laquelle.', 'Other benefit: say which one.'],
  ['Autre prestation : cochez d’abord « Autre ».', 'Other benefit: first tick “Other”.'],
  ['Suivi judiciaire : indiquez d’abord le service (SPIP ou PJJ).', 'Justice follow-up: first choose the service (SPIP or PJJ).'],
  ['Le NIR et les données sensibles ne se modifient qu’avec le droit de les voir : laissez ces champs vides, rien n’a été modifié.', 'The NIR and the sensitive data can only be changed with the right to see them: leave these fields empty; nothing was changed.'],
  ['Afficher le NIR demande le droit de voir les données sensibles : opération refusée.', 'Showing the NIR requires the right to see sensitive data: refused.'],
  ['Aucun NIR n’est enregistré pour ce stagiaire.', 'No NIR is recorded for this trainee.'],
  ['Aucun NIR enregistré.', 'No NIR recorded.'],
  [
    "Les données personnelles de ce dossier (NIR, données sensibles, motifs d'absence) sont chiffrées sous une clé que seule l'application Sillon détient : faites cette opération dans l'application.",
    'The personal data of this folder (NIR, sensitive data, reasons of absence) is encrypted under a key only the Sillon application holds: do this in the application.',
  ],
  [
    "Cet enregistrement contient des données personnelles chiffrées sous une clé que seule l'application Sillon détient : envoyez-le depuis l'application.",
    'This record holds personal data encrypted under a key only the Sillon application holds: send it from the application.',
  ],
  [
    "Donnée chiffrée illisible ({place}, enregistrement {id}) : elle a été modifiée ou recopiée d'un autre enregistrement, ou la clé de données de ce dossier (data.key) n'est pas celle qui l'a chiffrée. Restaurez une sauvegarde ou la bonne clé.",
    "Unreadable encrypted data ({place}, record {id}): it was altered or copied from another record, or this folder's data key (data.key) is not the one that encrypted it. Restore a backup or the right key.",
  ],
  ["Numéro de déclaration d'activité invalide : 11 chiffres attendus.", 'Invalid activity declaration number: 11 digits expected.'],
  ['Code postal obligatoire.', 'Postcode required.'],
  ['Code postal invalide : 5 chiffres attendus.', 'Invalid postcode: 5 digits expected.'],
  ['Adresse e-mail invalide.', 'Invalid e-mail address.'],
  ['Zone de jours fériés inconnue.', 'Unknown public holiday zone.'],
  ['Date de naissance invraisemblable.', 'Implausible birth date.'],
  ['Identifiant France Travail invalide : 7 à 11 lettres ou chiffres.', 'Invalid France Travail id: 7 to 11 letters or digits.'],
  ['Code de certification invalide : RNCP ou RS suivi de chiffres (ex. RNCP37859).', 'Invalid certification code: RNCP or RS followed by digits (e.g. RNCP37859).'],
  ['Code NSF invalide : 3 chiffres suivis éventuellement d’une lettre (ex. 221 ou 221t).', 'Invalid NSF code: 3 digits, optionally followed by a letter (e.g. 221 or 221t).'],
  ['La durée prévue doit être positive.', 'The planned duration must be positive.'],
  ['La capacité doit être d’au moins 1 place.', 'The capacity must be at least 1 seat.'],
  ['La date de fin précède la date de début.', 'The end date is before the start date.'],
  ["L'heure de fin doit suivre l'heure de début.", 'The end time must come after the start time.'],
  ['Période trop longue : 5 ans au plus.', 'Period too long: 5 years at most.'],
  ['Cette demi-journée figure deux fois dans le planning.', 'This half-day appears twice in the timetable.'],
  ['Le planning hebdomadaire est vide.', 'The weekly timetable is empty.'],
  ['Le motif de sortie est obligatoire.', 'The exit reason is required.'],
  ['Aucun créneau sélectionné.', 'No slot selected.'],
  ['Aucune présence à enregistrer.', 'No attendance to save.'],
  ['La signature est vide.', 'The signature is empty.'],
  ['La signature du formateur est obligatoire pour clore le créneau.', "The trainer's signature is required to close the slot."],
  // PIN and QR capture (shared/schemas/pins.ts, people/pins.ts, attendance/qr.ts).
  ['PIN du formateur : saisissez-le pour clore le créneau.', "Trainer's PIN: enter it to close the slot."],
  ['PIN : saisissez le code.', 'PIN: enter the code.'],
  ['PIN : 4 à 6 chiffres.', 'PIN: 4 to 6 digits.'],
  ['Code QR : 6 caractères.', 'QR code: 6 characters.'],
  ['PIN : le stagiaire doit saisir son PIN.', 'PIN: the trainee must enter their PIN.'],
  ["QR code : le stagiaire doit saisir le code affiché sous le QR code pendant qu'il est valide.", 'QR code: the trainee must enter the code shown under the QR code while it is valid.'],
  ['PIN de {name} incorrect : {n} essais erronés, PIN bloqué {m} min.', 'Wrong PIN for {name}: {n} wrong attempts, PIN locked for {m} min.'],
  ['PIN de {name} incorrect ({n} essai(s) restant(s) avant blocage).', 'Wrong PIN for {name} ({n} attempt(s) left before it locks).'],
  ['PIN de {name} bloqué après {n} essais erronés : réessayez dans {m} min, ou choisissez un autre mode de recueil.', 'PIN of {name} locked after {n} wrong attempts: try again in {m} min, or choose another capture method.'],
  ["PIN : {name} n'a pas de PIN. Définissez-le sur sa fiche, ou choisissez un autre mode de recueil.", '{name} has no PIN. Set one on their page, or choose another capture method.'],
  ["Code QR de {name} : ce code a expiré. Demandez au formateur d'en afficher un nouveau.", "{name}'s QR code: this code has expired. Ask the trainer to show a new one."],
  ["Code QR de {name} : ce code est celui d'un autre créneau.", "{name}'s QR code: this code belongs to another slot."],
  ['Code QR de {name} : code inconnu. Vérifiez-le sous le QR code affiché par le formateur.', "{name}'s QR code: unknown code. Check it under the QR code the trainer shows."],
  ["QR code : ce scan est celui d'un autre stagiaire.", "QR code: this scan belongs to another trainee."],
  ['QR code : ce scan a été fait pour un autre créneau.', 'QR code: this scan was made for another slot.'],
  ['Ce créneau est clos : plus aucun code QR ne peut y être présenté.', 'This slot is closed: no QR code can be presented any more.'],
  ['Indiquez le motif du refus.', 'Enter the reason for the refusal.'],
  ["L'adresse du destinataire est obligatoire.", "The receiver's address is required."],
  ["Choisissez au moins un type d'enregistrement.", 'Choose at least one record type.'],
  ['Fuseau horaire inconnu : nom IANA attendu (Europe/Paris, America/Cayenne, Indian/Reunion…).', 'Unknown time zone: an IANA name is expected (Europe/Paris, America/Cayenne, Indian/Reunion…).'],
  ['Modalité : présentiel, distanciel, mixte ou AFEST.', 'Modality: on site, distance, blended or AFEST.'],
  ['Type de session : cohorte ou entrées/sorties permanentes.', 'Session type: cohort or rolling entries.'],
  ['Statut : prévu, entré, suspendu ou sorti.', 'Status: planned, entered, suspended or exited.'],
  ['Signature trop complexe.', 'Signature too complex.'],
  ['Image de signature trop lourde.', 'Signature image too large.'],
  ['Image de signature invalide.', 'Invalid signature image.'],
  ['Mode de recueil : signature, PIN, QR code, feuille papier, procuration ou aucun.', 'Collection method: signature, PIN, QR code, paper sheet, proxy or none.'],
  ['Code : lettres minuscules, chiffres et tirets.', 'Code: lower-case letters, digits and hyphens.'],
  ['Catégorie inconnue.', 'Unknown category.'],
  ['Statut du formateur : interne ou externe.', "Trainer's status: internal or external."],
  ["Type d'enregistrement : enrolment, attendance, afest-sequence ou claim.", 'Record type: enrolment, attendance, AFEST sequence or payment claim.'],
  ['Adresse invalide : URL complète attendue (ex. https://extranet.region.fr/api).', 'Invalid address: a full URL is expected (e.g. https://extranet.region.fr/api).'],
  ['Jeton vide.', 'Empty token.'],
  ['Niveau : de 1 à 8.', 'Level: from 1 to 8.'],
  ['Jour : de 1 (lundi) à 7 (dimanche).', 'Day: from 1 (Monday) to 7 (Sunday).'],
  ['Demi-journée : matin (am) ou après-midi (pm).', 'Half-day: morning (am) or afternoon (pm).'],
  ['Type de session : cohort ou rolling.', 'Session type: cohort or rolling entries.'],
  ["Pas d'identifiant interne dans un fichier d'import : utilisez « ref ».", 'No internal id in an import file: use « ref ».'],
  ['Référence obligatoire.', 'Reference required.'],
  ['Type de ligne inconnu : organisation, place, trainer, company, trainee, action, session, slot, enrolment, funder ou funder-document.', 'Unknown line type: organisation, place, trainer, company, trainee, action, session, slot, enrolment, funder or funder-document.'],
  ['La date de fin de la période précède sa date de début.', "The period's end date is before its start date."],
  ['Logo : image PNG ou JPEG attendue.', 'Logo: a PNG or JPEG image is expected.'],
  ['Logo vide.', 'The logo is empty.'],
  ['Logo trop lourd : 1 Mo au plus.', 'The logo is too large: 1 MB at most.'],
  ['Logo illisible.', 'The logo cannot be read.'],
  ['Pièce vide.', 'Empty document.'],
  ['Pièce trop lourde (10 Mo au plus).', 'Document too large (10 MB at most).'],
  ['Type de pièce : PDF, PNG ou JPEG.', 'Document type: PDF, PNG or JPEG.'],
  ['Fichier vide.', 'Empty file.'],
  ['Journal trop lourd (20 Mo au plus).', 'Log too large (20 MB at most).'],
  // Documents: verification screen and signing certificate (issue #9).
  ['PDF trop lourd (30 Mo au plus).', 'PDF too large (30 MB at most).'],
  ['PDF illisible.', 'The PDF cannot be read.'],
  ['Code trop long.', 'Code too long.'],
  ['Choisissez un PDF ou saisissez le code imprimé sous le QR code.', 'Choose a PDF or type the code printed under the QR code.'],
  ['Choisissez le fichier du certificat (.p12 ou .pfx).', 'Choose the certificate file (.p12 or .pfx).'],
  ['Fichier de certificat trop lourd (1 Mo au plus).', 'Certificate file too large (1 MB at most).'],
  ['Fichier de certificat illisible.', 'The certificate file cannot be read.'],
  ['Mot de passe trop long.', 'Password too long.'],
  ['Mot de passe du certificat incorrect, ou fichier .p12/.pfx altéré.', 'Wrong certificate password, or damaged .p12/.pfx file.'],
  ['Fichier de certificat illisible : un fichier PKCS#12 (.p12 ou .pfx) est attendu.', 'Unreadable certificate file: a PKCS#12 file (.p12 or .pfx) is expected.'],
  ['Ce certificat est déjà importé.', 'This certificate is already imported.'],
  // Transports and dispatch.
  ['Méthode inconnue : {method}.', 'Unknown method: {method}.'],
  ["Vous n'avez pas le droit « {permission} » nécessaire pour cette opération.", 'You lack the « {permission} » permission this operation needs.'],
  ["Erreur interne (référence {ref}) : l'opération n'a pas abouti et rien n'a été enregistré. Le détail est dans le journal de Sillon.", 'Internal error (reference {ref}): the operation did not complete and nothing was saved. The details are in Sillon’s log.'],
  ["Appel refusé : il ne vient pas de la fenêtre de l'application.", "Call refused: it does not come from the application's window."],
  // SQLite refusals (db/errors.ts).
  ['Un enregistrement a déjà ce {field} : doublon refusé.', 'A record already has this {field}: duplicate refused.'],
  ['Cet enregistrement existe déjà : doublon refusé.', 'This record already exists: duplicate refused.'],
  ['{field} : champ obligatoire.', '{field}: required field.'],
  ['{field} : valeur hors des limites permises.', '{field}: value out of the allowed range.'],
  // System errors (system-errors.ts).
  ['Fichier ou dossier introuvable : vérifiez le chemin, ou que le disque est bien branché.', 'File or folder not found: check the path, or that the drive is plugged in.'],
  ["Accès refusé au fichier ou au dossier : vérifiez les droits, ou choisissez un autre emplacement.", 'Access to the file or folder refused: check the permissions, or choose another place.'],
  ['Le disque est plein : libérez de la place puis recommencez.', 'The disk is full: free some space, then try again.'],
  ['Le fichier est utilisé par un autre programme : fermez-le puis recommencez.', 'The file is in use by another program: close it, then try again.'],
  ['Le disque est en lecture seule : choisissez un autre emplacement.', 'The disk is read-only: choose another place.'],
  ["Le fichier ou le dossier existe déjà.", 'The file or folder already exists.'],
  ['Opération système impossible ({what}).', 'System operation failed ({what}).'],
  // A damaged database file (db/open.ts), open read-only.
  ["La base {file} est endommagée ({detail}) : Sillon l'a ouverte en lecture seule et rien n'a été enregistré. Vous pouvez encore consulter et exporter les données ; restaurez ensuite une sauvegarde (dossier « backups » du dossier de données).", 'The database {file} is damaged ({detail}): Sillon opened it read-only and nothing was saved. You can still view and export the data; then restore a backup (« backups » folder of the data folder).'],
  // A big database file still being checked in the background (db/integrity.ts): a write that waited too long.
  ["Vérification de l'intégrité de la base en cours… Rien n'a été enregistré ; réessayez dans quelques secondes.", 'Checking the integrity of the database… Nothing was saved; try again in a few seconds.'],
  // Well-formed text (shared/well-formed.ts).
  ["texte mal formé : il contient un caractère incomplet (la moitié d'un emoji ou d'un symbole, souvent après un copier-coller) ; retapez ce texte.", 'badly formed text: it holds an incomplete character (half of an emoji or symbol, often after a copy-paste); type this text again.'],
  // Slots after planning (sessions/slots.ts): changes, corrections of countersigned slots, cancellation.
  ['Le créneau du {date} {half} ({start}–{end})', 'The slot of {date} {half} ({start}–{end})'],
  ['{slot} est contresigné par le formateur : ses horaires, son lieu et ses formateurs ne changent plus que par une correction motivée (bouton « Corriger » du planning).', '{slot} is countersigned by the trainer: its times, place and trainers now change only through a correction with a reason (« Correct » button of the planning).'],
  ['Ce créneau est contresigné par le formateur : ses horaires, son lieu et ses formateurs ne changent que par une correction motivée (bouton « Corriger » du planning).', 'This slot is countersigned by the trainer: its times, place and trainers change only through a correction with a reason (« Correct » button of the planning).'],
  ["{slot} n'est pas contresigné : modifiez-le directement (bouton « Modifier »), sans correction.", '{slot} is not countersigned: change it directly (« Edit » button), without a correction.'],
  ['{slot} est annulé : rétablissez-le avant de le modifier.', '{slot} is cancelled: reinstate it before changing it.'],
  ['{slot} a déjà des présences saisies ({n} stagiaire(s)) : sa date et sa demi-journée ne changent plus. Modifiez seulement ses horaires, son lieu ou ses formateurs.', '{slot} already has attendance recorded ({n} trainee(s)): its date and half-day no longer change. Change only its times, place or trainers.'],
  ['Rien à corriger : les horaires, le lieu et les formateurs sont ceux du créneau.', "Nothing to correct: the times, place and trainers are the slot's own."],
  ['Le formateur qui a contresigné le créneau reste parmi ses formateurs : sa signature porte sur ce créneau.', 'The trainer who countersigned the slot stays among its trainers: their signature covers this slot.'],
  ["Le créneau passerait à {n} min, mais {what} de {name} ({m} min) dépasse cette durée : corrigez d'abord sa présence.", 'The slot would last {n} min, but {what} of {name} ({m} min) exceeds it: correct their attendance first.'],
  ["{slot} ne peut pas être annulé : des présences y sont enregistrées ({n} stagiaire(s)), et une preuve ne s'efface pas. S'il n'a pas eu lieu, corrigez chaque présence en absence ; s'il a eu lieu à d'autres horaires, corrigez le créneau.", '{slot} cannot be cancelled: attendance is recorded on it ({n} trainee(s)), and evidence is never erased. If it did not take place, correct each attendance to an absence; if it took place at other times, correct the slot.'],
  ["{slot} ne peut pas être annulé : des présences y sont enregistrées ({n} stagiaire(s)), et une preuve ne s'efface pas. S'il n'a pas eu lieu, corrigez chaque présence en absence ; s'il a eu lieu à d'autres horaires, modifiez le créneau.", '{slot} cannot be cancelled: attendance is recorded on it ({n} trainee(s)), and evidence is never erased. If it did not take place, correct each attendance to an absence; if it took place at other times, change the slot.'],
  ['{slot} est déjà annulé.', '{slot} is already cancelled.'],
  ["{slot} n'est pas annulé.", '{slot} is not cancelled.'],
  ['Le créneau du {date} tomberait hors des dates de la session ({from} au {to}).', 'The slot of {date} would fall outside the session dates ({from} to {to}).'],
  ['La session a déjà un créneau le {date} {half}.', 'The session already has a slot on {date} {half}.'],
  // Coherence checks (attendance/checks.ts).
  ['{name} : présence signée le {date}, jour férié ({holiday}).', '{name}: presence signed on {date}, a public holiday ({holiday}).'],
  ['{name} : signature du {date} à {time}, hors du créneau du {slotDate} {start}–{end} (±{window} min).', '{name}: signed on {date} at {time}, outside the slot of {slotDate} {start}–{end} (±{window} min).'],
  ['{trainer} est affecté(e) le {date} à deux créneaux qui se chevauchent ({a} et {b}, « {other} »).', '{trainer} is assigned on {date} to two overlapping slots ({a} and {b}, « {other} »).'],
  ['{name} : {done} réalisées pour {planned} prévues.', '{name}: {done} attended for {planned} planned.'],
  ['Créneau du {date} {start}–{end} : émargé mais sans la signature du formateur (non clos).', 'Slot of {date} {start}–{end}: roll call taken but without the trainer’s signature (not closed).'],
  ["Créneau du {date} {start}–{end} passé sans feuille d'émargement ({n} stagiaire(s) attendu(s)).", 'Slot of {date} {start}–{end} past without a roll call ({n} trainee(s) expected).'],
  ['{name} : présence le {date} avant son entrée en formation (entrée non déclarée).', '{name}: present on {date} before entering the course (entry not declared).'],
  ['{name} : présence le {date} avant son entrée en formation ({entry}).', '{name}: present on {date} before entering the course ({entry}).'],
  ['{name} : présence le {date} après sa sortie ({exit}).', '{name}: present on {date} after leaving the course ({exit}).'],
  ['{name} : présence le {date} pendant une suspension de sa formation.', '{name}: present on {date} during a suspension of the course.'],
  // Funding lines and apprenticeship contracts (schemas/funding-lines.ts, domain/funding-lines.ts, backend/fundings).
  ['Part invalide : nombre entier attendu.', 'Invalid share: a whole number is expected.'],
  ['La part ne peut pas être négative.', 'The share cannot be negative.'],
  ['Choisissez le financeur.', 'Choose the funder.'],
  ['Part : pourcentage, heures ou reste.', 'Share: percentage, hours or remainder.'],
  ['Le montant ne peut pas être négatif.', 'The amount cannot be negative.'],
  // The bounds of shared/domain/claims/amounts.ts (MAX_RATE_CENTS, MAX_AMOUNT_CENTS), written by formatCents.
  ['Tarif trop élevé : {max} au plus.', 'Rate too high: {max} at most.'],
  ['Coût contrat trop élevé : {max} au plus.', 'Contract cost too high: {max} at most.'],
  ['Montant trop élevé : {max} au plus.', 'Amount too high: {max} at most.'],
  ['Au plus 40 lignes de financement.', 'At most 40 funding lines.'],
  ['Indiquez une inscription ou une session.', 'Give an enrolment or a session.'],
  ['Indiquez le code RNCP.', 'Enter the RNCP code.'],
  ['Code RNCP invalide (ex. RNCP37859).', 'Invalid RNCP code (e.g. RNCP37859).'],
  ["Choisissez l'OPCO.", 'Choose the OPCO.'],
  ['Indiquez le coût contrat (NPEC) en euros, ex. 7 500,00.', 'Enter the yearly contract cost (NPEC) in euros, e.g. 7,500.00.'],
  ['Coût contrat invalide : montant en euros attendu, ex. 7 500,00.', 'Invalid contract cost: an amount in euros is expected, e.g. 7,500.00.'],
  ['Le coût contrat ne peut pas être négatif.', 'The contract cost cannot be negative.'],
  ['La fin du contrat ne peut pas précéder son début.', 'The contract cannot end before it starts.'],
  ['Part : de 0,01 % à 100 % (ex. 33,33).', 'Share: from 0.01 % to 100 % (e.g. 33.33).'],
  ["Indiquez un nombre d'heures supérieur à zéro (ex. 120).", 'Enter a number of hours above zero (e.g. 120).'],
  ['Une inscription garde au moins une ligne de financement.', 'An enrolment keeps at least one funding line.'],
  ['Financements — ligne {n} : {message}', 'Funding — line {n}: {message}'],
  ['Financements — {message}', 'Funding — {message}'],
  ['Financeur inconnu : {code}.', 'Unknown funder: {code}.'],
  ['Dispositif inconnu.', 'Unknown programme.'],
  ['Le dispositif « {name} » appartient à un autre financeur ({owner}).', 'The programme « {name} » belongs to another funder ({owner}).'],
  ['Le dispositif « {name} » appartient à un autre financeur que celui du contrat.', "The programme « {name} » belongs to another funder than the contract's."],
  ['Les pourcentages {costType} dépassent 100 % ({sum}).', 'The percentages {costType} exceed 100 % ({sum}).'],
  ['Un seul « reste » par type de coût : la ligne {n} prend déjà le reste {costType}.', 'One « remainder » per cost type: line {n} already takes the remainder {costType}.'],
  ["Contrat d'apprentissage introuvable.", 'Apprenticeship contract not found.'],
  ['Inscription inconnue : choisissez l’apprenti parmi les inscriptions.', 'Unknown enrolment: choose the apprentice among the enrolments.'],
  ['Employeur inconnu : choisissez une entreprise.', 'Unknown employer: choose a company.'],
  ["L'employeur {name} n'a pas de SIRET valide : complétez sa fiche entreprise.", 'The employer {name} has no valid SIRET: complete its company record.'],
  ['Lieu de formation inconnu.', 'Unknown training site.'],
  ['Le contrat a été rompu le {date} : cette date doit rester entre son début et sa fin.', 'The contract was broken on {date}: that date must stay between its start and its end.'],
  ['La date de rupture doit être comprise entre le début ({from}) et la fin ({to}) du contrat.', 'The rupture date must lie between the start ({from}) and the end ({to}) of the contract.'],
  // The funding vocabulary of the foundation (schemas/funding.ts).
  ['Type de coût : pédagogique, rémunération, aide, accompagnement ou ingénierie.', 'Cost type: training, pay, aid, support or engineering.'],
  ['Unité de facturation inconnue.', 'Unknown billing unit.'],
  ['Catégorie BPF inconnue (C-1 à C-11).', 'Unknown BPF category (C-1 to C-11).'],
  ['Part : de 0,01 % à 100 %.', 'Share: from 0.01 % to 100 %.'],
  ['Indiquez la part de la subvention (en %).', 'Enter the share of the grant (in %).'],
  ['Indiquez au moins une majoration.', 'Enter at least one majoration.'],
  // Funding vocabulary and reference data (shared/schemas/funding.ts, funding-reference.ts; electron/backend/funding).
  ['Code : lettres majuscules, chiffres, « _ » ou « - » (ex. REGION_GE).', 'Code: capital letters, digits, « _ » or « - » (e.g. REGION_GE).'],
  ['Type de financeur inconnu.', 'Unknown funder type.'],
  ['La fin de validité précède son début.', 'The end of validity is before its start.'],
  ['La version {a} chevauche celle {b}.', 'The version {a} overlaps the one {b}.'],
  ['La version {a} a déjà été remplacée : corrigez la version qui la remplace.', 'The version {a} has already been replaced: correct the version that replaces it.'],
  ['La version {a} a servi à une demande de paiement validée : elle ne peut plus être modifiée. Ajoutez une nouvelle version pour la suite.', 'The version {a} was used by a validated claim: it can no longer be changed. Add a new version for what follows.'],
  ['du {from} sans date de fin', 'from {from} with no end date'],
  ['du {from} au {to}', 'from {from} to {to}'],
  ["Le code {code} est déjà celui d'un financeur.", 'The code {code} is already a funder’s.'],
  ["Le code {code} est déjà celui d'un autre dispositif.", 'The code {code} is already another programme’s.'],
  ["La version à corriger n'appartient pas à ce dispositif.", 'The version to correct does not belong to this programme.'],
  ['Financeur inconnu.', 'Unknown funder.'],
  ['Dispositif introuvable.', 'Programme not found.'],
  ['Code déjà pris.', 'Code already taken.'],
  ['Version inconnue.', 'Unknown version.'],
  ['Version déjà remplacée.', 'Version already replaced.'],
  ['Version utilisée par une demande validée.', 'Version used by a validated claim.'],
  // AFEST (issue #11): the set-up, sequences and evaluations (shared/schemas/afest.ts).
  ['Nature de la séquence : mise en situation de travail ou séquence réflexive.', 'Sequence kind: work situation or reflective sequence.'],
  ["Nature de l'évaluation : intermédiaire ou finale.", 'Evaluation kind: intermediate or final.'],
  ['Animée par : le tuteur ou le formateur animateur.', 'Led by: the tutor or the facilitator.'],
  ['Niveau : acquis, en cours ou non acquis.', 'Level: acquired, in progress or not acquired.'],
  ['Durée invraisemblable.', 'Implausible duration.'],
  ['60 compétences visées au plus.', 'At most 60 target competences.'],
  ["L'acceptation du tuteur ne peut précéder sa désignation.", "The tutor's acceptance cannot come before their designation."],
  ["Le parcours ne peut durer moins que l'AFEST qu'il contient.", 'The pathway cannot last less than the AFEST it contains.'],
  ['Mise en situation inconnue.', 'Unknown work situation.'],
  ['Évaluez au moins une compétence visée.', 'Assess at least one target competence.'],
  ['20 pièces jointes au plus.', 'At most 20 attachments.'],
  ["Indiquez l'heure de début et l'heure de fin, ou aucune des deux.", 'Enter both the start and the end time, or neither.'],
  ['Type de fichier : photo (PNG, JPEG, WebP), PDF ou texte.', 'File type: photo (PNG, JPEG, WebP), PDF or text.'],
  ['Le fichier est vide.', 'The file is empty.'],
  ['Fichier trop lourd (10 Mo au plus).', 'File too large (10 MB at most).'],
  ['Fichier illisible.', 'The file cannot be read.'],
  ['Part minimale : entre 1 et 100 %.', 'Minimum share: between 1 and 100 %.'],
  // AFEST compliance panel (shared/domain/afest.ts afestCompliance), in the order of its checks.
  ["Analyse de l'activité de travail du {date}, {n} compétence(s) visée(s).", 'Analysis of the work activity dated {date}, {n} target competence(s).'],
  ["Analyse de l'activité de travail incomplète : indiquez {missing}.", 'Incomplete analysis of the work activity: enter {missing}.'],
  ["Datez l'analyse de l'activité : elle doit précéder la première mise en situation de travail.", 'Date the analysis of the work activity: it must come before the first work situation.'],
  ["L'analyse de l'activité ({analysis}) est datée après la première mise en situation ({first}) : elle doit la précéder.", 'The analysis of the work activity ({analysis}) is dated after the first work situation ({first}): it must come before it.'],
  ['Analyse datée avant la première mise en situation ({date}).', 'Analysis dated before the first work situation ({date}).'],
  ['Analyse datée ; aucune mise en situation encore.', 'Analysis dated; no work situation yet.'],
  ['Tuteur désigné le {designated}, mission acceptée le {accepted}.', 'Tutor designated on {designated}, who accepted on {accepted}.'],
  ['Désignation du tuteur incomplète : indiquez {missing}.', "Incomplete tutor's designation: enter {missing}."],
  ['Datez la désignation du tuteur : elle doit précéder la première mise en situation de travail.', "Date the tutor's designation: it must come before the first work situation."],
  ['La désignation du tuteur ({designated}) est postérieure à la première mise en situation ({first}) : elle doit la précéder.', "The tutor's designation ({designated}) is later than the first work situation ({first}): it must come before it."],
  ['Tuteur désigné avant la première mise en situation ({date}).', 'Tutor designated before the first work situation ({date}).'],
  ['Tuteur désigné ; aucune mise en situation encore.', 'Tutor designated; no work situation yet.'],
  ['{n} séquence(s) réflexive(s), {duration}.', '{n} reflective sequence(s), {duration}.'],
  ['Aucune séquence réflexive : après les mises en situation, organisez au moins une séquence réflexive hors production avec le formateur animateur.', 'No reflective sequence: after the work situations, hold at least one reflective sequence out of production with the facilitator.'],
  ["Séquence(s) réflexive(s) du {when} en même temps qu'une mise en situation : une séquence réflexive se tient à un autre moment.", 'Reflective sequence(s) of {when} at the same time as a work situation: a reflective sequence takes place at another time.'],
  ["Séquence(s) réflexive(s) du {dates} tenue(s) dans l'espace de production : une séquence réflexive se tient hors production.", 'Reflective sequence(s) of {dates} held in the production area: a reflective sequence takes place out of production.'],
  ['Chaque séquence réflexive est distincte des mises en situation et hors production.', 'Every reflective sequence is distinct from the work situations and out of production.'],
  ['Aucune séquence réflexive à contrôler.', 'No reflective sequence to check.'],
  ['Désignez le formateur animateur (le « tiers ») : le dispositif demande que les séquences réflexives soient animées par une autre personne que le tuteur.', 'Designate the facilitator (the « third party »): the programme asks for reflective sequences led by someone other than the tutor.'],
  ["Séquence(s) réflexive(s) du {dates} animée(s) par le tuteur : le dispositif demande le formateur animateur. Corrigez l'animateur ou retirez la séquence.", 'Reflective sequence(s) of {dates} led by the tutor: the programme asks for the facilitator. Correct who led it or withdraw the sequence.'],
  ["Séquence(s) réflexive(s) du {dates} animée(s) par un formateur qui n'est pas l'animateur désigné de cette AFEST.", "Reflective sequence(s) of {dates} led by a trainer who is not this AFEST's designated facilitator."],
  ['Séquences réflexives animées par le formateur animateur, distinct du tuteur.', 'Reflective sequences led by the facilitator, someone other than the tutor.'],
  ['Séquences réflexives animées par le tuteur ou le formateur animateur (le dispositif le permet).', 'Reflective sequences led by the tutor or the facilitator (the programme allows it).'],
  ['{n} évaluation(s) dont {finals} finale(s).', '{n} evaluation(s), {finals} of them final.'],
  ['Aucune évaluation : enregistrez au moins une évaluation (intermédiaire ou finale) des compétences visées.', 'No evaluation: record at least one evaluation (intermediate or final) of the target competences.'],
  ['Entreprise partenaire indiquée.', 'Partner company given.'],
  ["Indiquez l'entreprise partenaire qui accueille l'AFEST.", 'Enter the partner company that hosts the AFEST.'],
  ["Convention {ref} : l'apprenant est stagiaire dans l'entreprise, non salarié.", 'Agreement {ref}: the learner is a trainee in the company, not an employee.'],
  ["Indiquez la référence de la convention de stage ou de mise en situation : en entreprise, l'apprenant est stagiaire, non salarié.", 'Enter the reference of the placement agreement: in the company, the learner is a trainee, not an employee.'],
  ["Le dispositif ne fixe pas de part minimale d'AFEST dans le parcours.", 'The programme sets no minimum AFEST share of the pathway.'],
  ["Le dispositif demande au moins {min} % d'AFEST dans le parcours : indiquez les heures prévues de l'AFEST et du parcours.", 'The programme asks for at least {min} % of AFEST in the pathway: enter the planned hours of the AFEST and of the pathway.'],
  ["{afest} d'AFEST prévues sur {pathway} de parcours, soit {share} (au moins {min} % demandés).", '{afest} of AFEST planned out of a {pathway} pathway, i.e. {share} (at least {min} % asked).'],
  ["{afest} d'AFEST prévues sur {pathway} de parcours, soit {share} : le dispositif demande au moins {min} %. Augmentez la part d'AFEST ou réduisez les autres modules du parcours.", "{afest} of AFEST planned out of a {pathway} pathway, i.e. {share}: the programme asks for at least {min} %. Increase the AFEST share or shorten the pathway's other modules."],
  ["Aucune heure réalisée encore : la part d'AFEST réalisée (au moins {min} %) se calculera dès les premières heures.", 'No hours done yet: the AFEST share done (at least {min} %) will be worked out from the first hours.'],
  ["{afest} d'AFEST réalisées sur {total} de parcours, soit {share} (au moins {min} % demandés).", '{afest} of AFEST done out of {total} of pathway, i.e. {share} (at least {min} % asked).'],
  ["{afest} d'AFEST réalisées sur {total} de parcours, soit {share} : le dispositif demande au moins {min} %.", '{afest} of AFEST done out of {total} of pathway, i.e. {share}: the programme asks for at least {min} %.'],
  // AFEST sequences refused before anything is written (shared/domain/afest.ts sequenceProblems).
  ["L'analyse de l'activité de travail n'est pas datée : complétez-la dans la mise en place avant la première mise en situation.", 'The analysis of the work activity is not dated: complete it in the set-up before the first work situation.'],
  ["Mise en situation datée du {date}, avant l'analyse de l'activité ({analysis}) : l'analyse doit la précéder.", 'Work situation dated {date}, before the analysis of the work activity ({analysis}): the analysis must come first.'],
  ["Le tuteur n'est pas désigné : indiquez-le avec sa date de désignation dans la mise en place avant la première mise en situation.", 'The tutor is not designated: enter them with their designation date in the set-up before the first work situation.'],
  ['Mise en situation datée du {date}, avant la désignation du tuteur ({designated}) : la désignation doit la précéder.', "Work situation dated {date}, before the tutor's designation ({designated}): the designation must come first."],
  ['Une mise en situation de travail se déroule sous la conduite du tuteur.', 'A work situation takes place under the tutor’s guidance.'],
  ["Une séquence réflexive se tient hors de l'espace de production : cochez « hors production » ou déplacez la séquence.", 'A reflective sequence takes place away from the production area: tick « out of production » or move the sequence.'],
  ['Le dispositif demande que les séquences réflexives soient animées par le formateur animateur (le « tiers »), pas par le tuteur.', 'The programme asks for reflective sequences led by the facilitator (the « third party »), not by the tutor.'],
  ["Aucun formateur animateur n'est désigné pour cette AFEST : désignez-le dans la mise en place.", 'No facilitator is designated for this AFEST: designate one in the set-up.'],
  ["L'animateur choisi n'est pas le formateur animateur désigné de cette AFEST.", "The chosen leader is not this AFEST's designated facilitator."],
  ['Choisissez la ou les mises en situation sur lesquelles porte la séquence réflexive.', 'Choose the work situation(s) the reflective sequence looks back on.'],
  ['Ce créneau ({date} {start}–{end}) chevauche {what} de {from}–{to} : l\'apprenant ne peut pas être à deux endroits, ses heures compteraient deux fois. Choisissez d\'autres horaires.', 'This time ({date} {start}–{end}) overlaps {what} at {from}–{to}: the learner cannot be in two places, their hours would count twice. Choose other times.'],
  ["{what} datée du {date}, dans le futur : elle s'enregistre une fois réalisée.", "{what} dated {date}, in the future: it is recorded once done."],
  ["{what} datée du {date}, avant le début de l'AFEST ({start}) : corrigez la date ou la période de l'AFEST.", "{what} dated {date}, before the AFEST starts ({start}): correct the date or the AFEST's period."],
  ["{what} datée du {date}, après la fin de l'AFEST ({end}) : corrigez la date ou la période de l'AFEST.", "{what} dated {date}, after the AFEST ends ({end}): correct the date or the AFEST's period."],
  ["{what} datée du {date} : l'inscription de l'apprenant n'est pas active ce jour-là (hors de ses dates, sortie ou suspendue).", "{what} dated {date}: the learner's enrolment is not active that day (outside its dates, exited or suspended)."],
  ["Des mises en situation ont été conduites par {names} : le tuteur désigné ne change plus. Si le tuteur change, ouvrez une nouvelle AFEST avec sa désignation.", "Work situations were conducted by {names}: the designated tutor no longer changes. If the tutor changes, open a new AFEST with their designation."],
  ["{what} doit rester datée au plus tard du {date}, jour de la première mise en situation : les séquences déjà enregistrées reposent sur elle.", "{what} must stay dated {date} at the latest, the day of the first work situation: the sequences already logged rest on it."],
  ["La compétence « {label} » est citée par des séquences ou des évaluations : elle reste dans la liste.", "The competence « {label} » is cited by sequences or evaluations: it stays in the list."],
  ["La compétence « {label} » est citée par des séquences ou des évaluations : son intitulé ne change plus. Ajoutez une nouvelle compétence si besoin.", "The competence « {label} » is cited by sequences or evaluations: its wording no longer changes. Add a new competence if needed."],
  ["La séquence réflexive du {dates} revient sur cette mise en situation : la retirer la laisserait sans objet. Corrigez ou retirez d'abord la séquence réflexive.", "The reflective sequence of {dates} looks back on this work situation: withdrawing it would leave it pointless. Correct or withdraw the reflective sequence first."],
  ["La séquence réflexive du {dates} revient sur cette mise en situation : la déplacer après elle la laisserait sans objet. Corrigez ou retirez d'abord la séquence réflexive.", "The reflective sequence of {dates} looks back on this work situation: moving it after it would leave it pointless. Correct or withdraw the reflective sequence first."],
  ["Cette pièce est jointe deux fois.", "This file is attached twice."],
  ["Cette pièce appartient à l'émargement : joignez le fichier à l'évaluation depuis cet écran.", "This file belongs to the roll call: attach the file to the evaluation from this screen."],
  ["Ce tuteur est désigné pour l'AFEST « {title} » dans son entreprise actuelle : il ne change pas d'entreprise. Créez une nouvelle fiche de tuteur.", "This tutor is designated for the AFEST « {title} » in their current company: they do not change company. Create a new tutor record."],
  ["Une séquence réflexive revient sur des mises en situation terminées : choisissez-en d'un jour précédent, ou du même jour terminées avant son début.", "A reflective sequence looks back on finished work situations: choose some from an earlier day, or from the same day that ended before it starts."],
  // The more specific first: a reflective sequence over a work situation says which rule it breaks.
  ["Ce créneau ({date} {start}–{end}) chevauche {what} de {from}–{to} : une séquence réflexive doit être distincte des mises en situation de travail. Choisissez d'autres horaires.", 'This time ({date} {start}–{end}) overlaps {what} at {from}–{to}: a reflective sequence must be distinct from the work situations. Choose other times.'],
  ["Ce créneau ({date} {start}–{end}) chevauche {what} de {from}–{to}. Choisissez d'autres horaires.", 'This time ({date} {start}–{end}) overlaps {what} at {from}–{to}. Choose other times.'],
  // Backups (shared/schemas/backups.ts).
  ['Nom de sauvegarde invalide : choisissez une sauvegarde de la liste.', 'Invalid backup name: choose a backup from the list.'],
  ['La phrase de passe doit compter au moins 12 caractères.', 'The passphrase must be at least 12 characters long.'],
  ['La phrase de passe est limitée à 1 024 caractères.', 'The passphrase is limited to 1,024 characters.'],
  ["Le fichier d'export doit porter l'extension .sillonbak (ex. sauvegarde.sillonbak).", 'The export file must have the .sillonbak extension (e.g. backup.sillonbak).'],
  // The reasons of BACKUP_REASON_LABELS and the verdicts and outcomes of electron/backend/backup/backup.ts, as the
  // backups screen shows them.
  ['quotidienne', 'daily'],
  ['avant mise à jour de la base', 'before a database upgrade'],
  ["avant validation d'une demande de paiement", 'before a funding claim was validated'],
  ['manuelle', 'manual'],
  ['base remplacée par une restauration', 'database replaced by a restore'],
  ['Sauvegarde {file} vérifiée : base intègre, registre des preuves intact ({entries} entrées), schéma {schema}.', 'Backup {file} checked: database sound, evidence ledger intact ({entries} entries), schema {schema}.'],
  ['Sauvegarde {file} refusée : {why}', 'Backup {file} refused: {why}'],
  ['Sauvegarde {file} restaurée (schéma {schema}, registre des preuves vérifié : {entries} entrées). La base remplacée est conservée : {aside}.', 'Backup {file} restored (schema {schema}, evidence ledger checked: {entries} entries). The database it replaced is kept: {aside}.'],
  ['Sauvegarde {file} restaurée (schéma {schema}, registre des preuves vérifié : {entries} entrées).', 'Backup {file} restored (schema {schema}, evidence ledger checked: {entries} entries).'],
  // RGPD: erasure and retention (shared/domain/retention.ts, electron/backend/rgpd/erase.ts, db/errors.ts).
  ["L'inscription « {label} » est en cours (fin prévue le {date}) : enregistrez d'abord la sortie du stagiaire, ses preuves de présence doivent être complètes avant l'effacement.", 'The enrolment “{label}” is still running (planned end {date}): record the trainee’s exit first; their attendance evidence must be complete before the erasure.'],
  ["L'inscription « {label} » est en cours (fin enregistrée le {date}) : enregistrez d'abord la sortie du stagiaire, ses preuves de présence doivent être complètes avant l'effacement.", 'The enrolment “{label}” is still running (recorded end {date}): record the trainee’s exit first; their attendance evidence must be complete before the erasure.'],
  ['Les données de ce stagiaire ont déjà été effacées (effacement n° {n}, demandé le {date}).', 'This trainee’s data was already erased (erasure no. {n}, asked on {date}).'],
  ['Ce stagiaire a fait effacer ses données (RGPD) : ses coordonnées, son NIR, ses données sensibles, un PIN ou une nouvelle inscription ne peuvent plus être enregistrés.', 'This trainee had their data erased (GDPR): contact data, NIR, sensitive data, a PIN or a new enrolment can no longer be recorded.'],
  ['Pièces justificatives de « {label} » (émargements, signatures, journaux de connexion, journal AFEST, pièces de la demande de paiement) : {years} ans {after}, durée de conservation demandée par les financeurs.', 'Supporting pieces of “{label}” (attendance sheets, signatures, connection logs, AFEST log, claim documents): {years} years {after}, the retention the funders require.'],
  ['Certificat de réalisation de « {label} » : {years} ans à compter de la fin de l\'année {since}, clause de conservation du modèle de certificat.', 'Certificate of completion of “{label}”: {years} years from the end of the year {since}, retention clause of the certificate model.'],
  ["après la fin de l'action ({date}), cofinancement européen", 'after the end of the action ({date}), EU co-funding'],
  ['après le dernier paiement ({date}), cofinancement européen', 'after the last payment ({date}), EU co-funding'],
  ["après la fin de l'action ({date})", 'after the end of the action ({date})'],
  ['après le dernier paiement ({date})', 'after the last payment ({date})'],
  ["de l'action (terminée le {date}), aucun paiement n'étant encore enregistré, cofinancement européen", 'of the action (ended on {date}), no payment being recorded yet, EU co-funding'],
  ["de l'action (terminée le {date}), aucun paiement n'étant encore enregistré", 'of the action (ended on {date}), no payment being recorded yet'],
  ['du dernier paiement ({date}), cofinancement européen', 'of the last payment ({date}), EU co-funding'],
  ['du dernier paiement ({date})', 'of the last payment ({date})'],
  ['Les sauvegardes déjà prises (gardées jusqu’à 12 mois) contiennent encore ces données jusqu’à leur rotation : restaurer une sauvegarde antérieure à l’effacement les ferait revenir, il faudrait alors effacer de nouveau.', 'Backups already taken (kept up to 12 months) still hold this data until they rotate out: restoring a backup older than the erasure would bring it back, and the erasure would have to be done again.'],
  ['Les fichiers déjà remis (exports, lots transmis aux financeurs, documents imprimés) ne sont pas atteints : les financeurs conservent leurs propres copies sous leurs obligations.', 'Files already handed out (exports, batches sent to funders, printed documents) are not reached: the funders keep their own copies under their own obligations.'],
  ['{n} ligne(s) de journaux de connexion justifient des heures de formation à distance : leur identifiant de connexion (souvent l’adresse e-mail) y reste jusqu’à l’anonymisation.', '{n} connection-log line(s) justify distance-learning hours: their login (often the e-mail address) stays there until the anonymisation.'],
];

interface Compiled {
  pattern: RegExp;
  names: string[];
  en: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const COMPILED: Compiled[] = MESSAGES.map(([frTemplate, en]) => {
  const names: string[] = [];
  const source = frTemplate
    .split(/(\{\w+\})/)
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (!m) return escape(part);
      names.push(m[1]!);
      return '([\\s\\S]+?)';
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names, en };
});

/** A label's English, own entries only: text such as `constructor` (a field's key) must not read Object's own. */
const labelOf = (text: string): string | undefined => (Object.hasOwn(LABELS, text) ? LABELS[text] : undefined);

function toEnglish(text: string, depth: number): string {
  if (depth > 4) return text;
  const label = labelOf(text);
  if (label !== undefined) return label;
  for (const { pattern, names, en } of COMPILED) {
    const m = pattern.exec(text);
    if (!m) continue;
    const values = new Map(names.map((n, i) => [n, toEnglish(m[i + 1]!, depth + 1)]));
    return en.replace(/\{(\w+)\}/g, (_all, n: string) => values.get(n) ?? '');
  }
  // A French capitalised label at the head of a sentence (« Date de naissance : … »).
  const lower = text.charAt(0).toLowerCase() + text.slice(1);
  const head = labelOf(lower);
  if (head !== undefined) return head.charAt(0).toUpperCase() + head.slice(1);
  return depth > 0 ? (nestedFigureOrList(text) ?? text) : text;
}

/**
 * What a template captured that no entry knows: a share « 63,6 % » (decimal point in English), or a French
 * list « sa date, les tâches et au moins une compétence visée » when every item is a label or has no letters
 * (dates, times). Anything else: null, and it stays French. Only inside a sentence: a whole unknown
 * sentence is never taken apart.
 */
function nestedFigureOrList(text: string): string | null {
  if (/^\d+,\d+ %$/.test(text)) return text.replace(',', '.');
  const last = text.lastIndexOf(' et ');
  if (last < 0) return null;
  const items = [...text.slice(0, last).split(', '), text.slice(last + 4)].map((item) => labelOf(item) ?? (/\p{L}/u.test(item) ? null : item));
  if (items.some((item) => item === null)) return null;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * One sentence for a person in their language: ISO dates written JJ/MM/AAAA (both languages: French
 * training bodies), and in English the table's English version when there is one.
 */
export function localise(message: string, locale: Locale): string {
  const dated = frenchDatesIn(message);
  return locale === 'en' ? toEnglish(dated, 0) : dated;
}

/** Every French template of the table, for tests that hold the table against the code. */
export const FRENCH_TEMPLATES: readonly string[] = MESSAGES.map(([frTemplate]) => frTemplate);

/** An error for a person in their language: its sentence and each field's. */
export function localiseError<E extends { message: string; issues?: { path: string; message: string }[] | undefined }>(error: E, locale: Locale): E {
  return {
    ...error,
    message: localise(error.message, locale),
    ...(error.issues ? { issues: error.issues.map((i) => ({ ...i, message: localise(i.message, locale) })) } : {}),
  };
}
