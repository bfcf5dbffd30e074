"""Diagnoses, treatments and health details the commission never reads: it learns a health
difficulty only as the leaflet's category ("problème de santé").

Regular expressions over the text folded to lower case without accents (domain.plain_text), each
the start of a word: "chimio" finds "chimiothérapie". Words businesses use too are left out, or
kept only where they speak of health: "greffe" du tribunal (a "greffe du rein" is medical),
"ordonnance" du tribunal, "diagnostic" financier, "fracture" numérique, activité "paralysée" or
"amputée de 30 %", "opération", "clinique" vétérinaire, "maladie" of the Assurance maladie,
"rééducation" of a shop's lease, "au sein de", "grippe" aviaire, an entreprise "sous perfusion",
a marché "déprimé", a "fosse septique", the enceinte of a place ("une enceinte de marché") and
loudspeakers (enceintes, une enceinte connectée), the dette, prêt or crise Covid (the pandemic
is the leaflet's "crise sanitaire"), a mur "aveugle", a bruit "sourd", a crèche that "attend
des enfants". So are the activities of the self-employed (ostéopathe, psychologue, thérapeute,
prothésiste). Prescription medicines are in domain.medicines. A net, not a dictionary.
"""

import re

from domain.medicines import MEDICINE

OE = "(?:oe|œ)"
ORGANS = (
    rf"(?:seins?|poumons?|colon|rectum|pancreas|foie|prostate|reins?|vessie|col|uterus|ovaires?|"
    rf"estomac|cerveau|gorge|larynx|peau|thyroide|os|moelle|intestins?|{OE}sophage|testicules?|"
    rf"c{OE}ur|cornee|vesicule|amygdales|appendice)(?![a-z])"
)
LIMBS = (
    r"(?:jambes?|bras|mains?|pieds?|genoux?|hanches?|epaules?|dos|colonne|coudes?|poignets?|"
    rf"chevilles?|doigts?|orteils?|membres?|cuisses?|{OE}il|yeux|menisques?|ligaments?|"
    r"tendons?|vertebres?)(?![a-z])"
)
OF = r"(?:du |de la |de l['’]|des |de |d['’]un |d['’]une |d['’]|au |aux )"
# "Activité amputée de 30 %", "chiffre d'affaires amputé de moitié", "revenus amputés par la
# crise": a business loses a share, a person a limb.
A_SHARE = (
    r"(?:[0-9]|moitie|la moitie|pres|presque|plus|quelque|environ|un tiers|un quart|une partie|"
    r"une bonne|au moins|autant|l['’]essentiel|la majeure|chiffre|revenu|"
    r"recette|vente|marge|benefice|resultat|activite|tresorerie|clientele|production)"
)
AMPUTATED = rf"amput[a-z]*+(?! (?:de |d['’]|du |des |de la |de l['’])?{A_SHARE})(?! par )"
# The debt, loans and aids of the pandemic, and the crisis itself, are no diagnosis.
NOT_AN_ILLNESS = "dettes? prets? aides? plan fonds crise periode epidemie pandemie confinement"
COVID = (
    "".join(
        f"(?<!{lead} {link})"
        for word in NOT_AN_ILLNESS.split()
        for lead in ([word[:-2], word[:-2] + "s"] if word.endswith("s?") else [word])
        for link in ("", "du ", "de la ", "de ", "lie au ", "liee au ", "lies au ", "liees au ")
    )
    + "covid"
)


def _not_after(words: str) -> str:
    """Lookbehinds: not right after any of the words (and a space)."""
    return "".join(f"(?<!{word} )" for word in words.split())


# "Un mur aveugle", "une confiance aveugle", "à l'aveugle"; "un bruit sourd", "une colère
# sourde", "faire la sourde oreille": words of prose, not a person who cannot see or hear.
BLIND = (
    _not_after("mur murs facade facades fenetre confiance foi obeissance violence test tests essai")
    + r"(?<!l['’])aveugles?(?![a-z])(?! par )"
)
DEAF = (
    _not_after(
        """bruit bruits grondement coup coups conflit conflits mecontentement malaise colere
        inquietude hostilite menace lutte opposition rumeur crainte tension tensions resistance"""
    )
    + r"sourd(?:e|es|s)?(?![a-z])(?! oreille)"
)
# "Elle attend un enfant", "attendait son deuxième enfant", "attend des jumeaux"; never "la
# crèche attend des enfants".
EXPECTING = (
    r"attend[a-z]* (?:un |une |son |leur |des )?(?:(?:premier|deuxieme|second|troisieme|autre"
    r"|petit) )?(?:enfant|bebe|jumeaux|jumelles|heureux evenement)(?![a-z])|future maman"
)
# "Une enceinte de marché", "l'enceinte du stade", "une enceinte connectée": a place's walls or a
# loudspeaker, not a pregnancy ("enceinte de six mois").
PLACES = """marches? halles? foires? salons? stades? villes? cites? parcs? ports? gares? usines?
    magasins? centres? expositions? aeroports? zones? abbayes? palais prisons? chateaux? eglises?
    tribunaux? tribunal batiments? entrepots? boutiques? festivals? concerts?"""
SPEAKERS = "connectee bluetooth acoustique portable sono hi-?fi audio nomade"
OF_A_PLACE = rf"(?:de |du |des |de la |de l['’]|d['’])(?:{'|'.join(PLACES.split())})(?![a-z])"
ENCEINTE = (
    rf"(?<!l['’])enceinte(?!s)(?! {OF_A_PLACE})(?! (?:{'|'.join(SPEAKERS.split())})(?![a-z]))"
)
SENSES = (
    rf"(?:perdu|perd|perdre|perte de|baisse de) (?:la vue|l['’]ou[iy]e|l['’]audition"
    rf"|l['’]usage {OF}?(?:la |l['’]|sa |son |ses )?{LIMBS})"
)

MEDICAL = (
    # cancers and their treatments
    r"cancer|tumeur|tumoral|carcinome|adenocarcinome|melanome|sarcome|myelome|glio(?:me|blastome)",
    r"leucemi|lymphome|hodgkin|metasta|oncolog|neoplasi|chimio|radiothera|curiethera|immunothera",
    rf"hormonothera|mastectomi|tumorectomi|soins palliatifs|palliati|k {OF}?{ORGANS}",
    rf"ablation(?: {OF}?{ORGANS})?",
    # heart and vessels
    r"avc\b|accident (?:cardio-?)?vasculaire|cardio-?vascul|infarctus|cardiaque|cardiopathi",
    rf"cardiolog|coronar|arythmi|fibrillation|tachycardi|angine de poitrine|c{OE}ur ouvert",
    r"pontage|pacemaker|stent\b|thrombose|phlebite|embolie|anevrism|hypertension|hypotension",
    r"cholesterol|hemorragie cerebrale|accident cerebral",
    # lungs, kidneys, liver, digestion
    r"asthm|bpco\b|emphysem|fibrose|pneumopathi|pneumoni|pleuresie|mucoviscidose",
    r"apnees? du sommeil",
    r"oxygenothera|insuffisan[a-z]* (?:cardiaque|renale|respiratoire|hepatique|veineuse)",
    r"defaillance (?:cardiaque|renale|respiratoire|hepatique|multiviscerale|d['’]organe)",
    r"dialys|nephr|transplant|greffon|cirrhose|hepatite|pancreatit|colopathi|diverticul",
    rf"greffee?s? {OF}{ORGANS}|c{OE}liaqu|appendicit|peritonit|ulcere|occlusion intestinale",
    r"stomie|colostomi|incontinence",
    # infections
    r"tuberculose|meningi|septicemi|sepsis|choc septique|mononucleose|zona(?![a-z])|herpes",
    rf"{COVID}|paludisme|bronchit|bronchiolit|coqueluche|rougeole|infection|vih\b|sida\b",
    r"seropositi|tritherapi|antiretrovir|lyme",
    # long-term, auto-immune and genetic diseases
    r"diabet|insulin|glycemi|hormon|obesit|anneau gastrique|gastrectomi|(?:hypo|hyper)?thyroid",
    r"sclerose|crohn|rectocolite|polyarthrite|arthrite|arthrose|rhumato|spondyl|lupus|psoriasis",
    r"eczema|sclerodermi|sarcoidose|fibromyalgi|endometriose|fibrome|kyste|myopathi|myasthenie",
    r"dystrophie musculaire|drepanocyt|hemophil|thalassemi|trisomi|autis|polyhandicap|handicap",
    r"affection de longue duree|ald\b|rqth\b|mdph\b|invalidite|fauteuil roulant|bequilles",
    r"maladies? (?:grave|chronique|rare|orpheline|genetique|auto-?immune|degenerative"
    r"|neurodegenerative|incurable|evolutive|mentale|psychiatrique|infectieuse)",
    # the nervous system, eyes and ears
    r"alzheimer|parkinson|huntington|charcot|epilep|antiepilep|migraine|neuropathi|polyneuropathi|encephal",
    r"aphasi|demence|paralysie faciale|paraplegi|tetraplegi|quadriplegi|hemiplegi|coma\b",
    r"comateu|traumatisme cranien|commotion cerebrale|glaucom|cataract|dmla\b|retinopathi",
    r"decollement de (?:la )?retine|acouphen|surdite|cecite|malvoyan|malentendan|non-?voyant",
    rf"{SENSES}|{BLIND}|{DEAF}|troubles? (?:de la vue|de l['’]audition|visuels?|auditifs?)",
    # injuries and the back
    r"hernie|lombalgi|lumbago|sciatique|cervicalgi|dorsalgi|tendinite|epicondylit|capsulite",
    r"canal carpien|musculo-?squelett|scoliose|osteoporos|luxation|ligaments? croises",
    r"tassement (?:de |des )?vertebr|intervertebr|protheses?(?![a-z])|"
    r"fractures?(?![a-z])(?! (?:numerique|sociale|territoriale|generationnelle))",
    r"brul[a-z]* (?:au |aux |du |de )?(?:[0-9]e?|1er|[23]eme|premier|second|deuxieme|troisieme)"
    r" degre",
    rf"{AMPUTATED}|operee?s? {OF}{LIMBS}|operee?s? {OF}{ORGANS}",
    # mental health and its treatments
    r"depressi|anxio-?depress|antidepress|anxiolyti|neurolepti|antipsychoti|psychotrope",
    r"somnifer|benzodiazepin|troubles? (?:anxieux|bipolaires?"
    r"|psychiques|psychiatriques|mentaux|obsessionnels?|du comportement|de la personnalite)",
    r"burn[\s-]*out|epuisement professionnel|bipolai|schizophren|psychose|psychotique|psychiatr",
    r"(?:stress|syndrome) post-?traumatique|crises? d['’]angoisse|attaques? de panique|suicid",
    r"anorexi|boulimi|bipolarite",
    # addictions and pain treatments
    r"alcoolisme|alcoolique|alcoolo|alcool-?dependan|dependance (?:a l['’]alcool|alcoolique)",
    r"ethylis|ethylique|addict|toxicoman|heroinoman|cocainoman|sevrage|desintox|methadon",
    r"morphin|opioide|opiace|tramadol|codein|antalgique|anti-?douleur",
    r"anti-?inflammatoire|anticoagulant|corticoide|cortison|antibioti|immunosuppress",
    MEDICINE,
    # pregnancy and childbirth
    rf"grossesse|{ENCEINTE}|accouch|cesarienne|post-?partum|fausse couche",
    r"conge (?:de )?maternite|conge pathologique|preeclampsi|fecondation in vitro|allaitement",
    EXPECTING,
    # care and leave
    r"chirurgie\b|chirurgical|hospitalis|soins intensifs|reanimation|convalescen|remission",
    r"pronostic vital|kinesitherapie|arret maladie|arret de travail|mi-temps therapeutique",
    r"temps partiel therapeutique",
)
MEDICAL_TERM = re.compile(rf"(?:{'|'.join(MEDICAL)})[a-z]*")
# Acronyms that are words in lower case ("sep." for septembre): in capitals only, their letters
# perhaps split by dots or spaces (S.E.P., S E P).
ACRONYMS = ("SEP", "SLA", "TCA", "TMS", "TOC", "IVG", "PMA", "FIV", "HTA", "TDAH", "AAH")
SPELT = "|".join(r"[.\s]?".join(acronym) for acronym in ACRONYMS)
MEDICAL_ACRONYM = re.compile(rf"(?<![A-Za-z])(?:{SPELT})\.?(?![A-Za-z])")
