"""Medicines the commission never reads of, by their brand or their molecule: a prescription
names the illness it treats (Lévothyrox the thyroid, Kardegic the heart, Xanax anxiety).

Whole words of the text folded to lower case without accents (domain.plain_text). Only
prescription medicines whose names are no other word; not the painkillers and remedies sold over
the counter (Doliprane, Dafalgan, Efferalgan, Advil, Nurofen, Spasfon, Smecta), which name no
illness and which a pharmacy sells, nor lithium, also a battery's. A net, not the Vidal.
"""

BRANDS = """
    levothyrox euthyral kardegic xanax lexomil prozac valium deroxat seroplex tahor crestor plavix
    xarelto eliquis previscan sintrom coumadine lovenox lasilix stilnox imovane temesta seresta
    lyrica laroxyl effexor zoloft cymbalta risperdal zyprexa abilify depakine depakote lamictal
    keppra tegretol teralithe haldol tercian loxapac atarax subutex ventoline seretide symbicort
    spiriva glucophage stagid lantus novorapid humalog januvia ozempic inexium mopral skenan
    actiskenan oxycontin durogesic lamaline ixprim topalgic champix ritaline concerta cortancyl
    solupred humira enbrel herceptin keytruda avastin modopar sinemet aricept ebixa truvada
    biktarvy
"""
MOLECULES = """
    levothyroxine metformine sertraline paroxetine fluoxetine escitalopram citalopram venlafaxine
    duloxetine amitriptyline alprazolam bromazepam lorazepam diazepam oxazepam zolpidem zopiclone
    quetiapine olanzapine risperidone aripiprazole haloperidol valproate lamotrigine
    levetiracetam carbamazepine pregabaline atorvastatine rosuvastatine simvastatine clopidogrel
    warfarine fluindione rivaroxaban apixaban furosemide bisoprolol omeprazole esomeprazole
    pantoprazole prednisone prednisolone methotrexate tamoxifene letrozole buprenorphine
    oxycodone fentanyl methylphenidate
"""
MEDICINE = rf"(?:{'|'.join((BRANDS + MOLECULES).split())})(?![a-z])"
