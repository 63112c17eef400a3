"""Every word on the class demo's page, in English and Dutch."""

from __future__ import annotations

TEXT = {
    "en": {
        "title": "Veerkracht: how communities recover from a crisis",
        "settings": "Settings",
        "scenario": "Crisis",
        "scenarios": {
            "leak": "Leak (coping)",
            "flooding": "Recurrent flooding (adaptation)",
            "sea_level_rise": "Sea-level rise (transformation)",
        },
        "explanations": {
            "leak": "A water main bursts and part of the town has no tap water for some hours. Households get "
            "by on their own stock and bottled water from family, neighbours, initiatives and the water company; "
            "those who need care, or whose home took water, take longer.",
            "flooding": "For thirty years the town floods every few years. Flooded homes must dry, be paid for "
            "and repaired before their households can go home; meanwhile they stay with family, in a temporary "
            "home or in emergency lodging. Households take measures if they can afford them, and copy what their "
            "neighbours do; the government can learn from each flood.",
            "sea_level_rise": "Over a century the sea rises and floods come more often and hit harder. A "
            "neighbourhood can be raised and redesigned together once enough residents support it and the "
            "government works with them. Households that cannot pay their share are left behind.",
        },
        "page_step": {
            "leak": "One step: one hour.",
            "flooding": "One step: four weeks.",
            "sea_level_rise": "One step: one year.",
        },
        "side_by_side": "Side by side: the same town twice",
        "side_by_side_note": "The same town twice (same households, same crisis, same government); only the ties "
        "differ. Low cohesion: {low}. High cohesion: {high}.",
        "compare": "Compare",
        "compare_cohesion": "low and high cohesion",
        "compare_lever": "without and with {lever}",
        "lever_note": "The same town twice (same households, same ties, same crisis); only {lever} differs: {what}",
        "levers": {
            "caring_neighbourhood": "a caring neighbourhood",
            "diverse_housing": "diverse housing",
            "receptive_government": "a receptive government",
            "co_design": "co-design",
            "standing_initiatives": "standing initiatives",
            "generous_compensation": "generous compensation",
            "flood_defences": "higher dikes",
        },
        "levers_explained": {
            "caring_neighbourhood": "neighbourhood workers and facilities give the households with the least "
            "capital ties to households with more, years before the crisis.",
            "diverse_housing": "classes live more mixed over the neighbourhoods.",
            "receptive_government": "the government starts receptive and cooperative, and acts sooner.",
            "co_design": "residents and initiatives sit at the design table of a transformation: a plan that asks "
            "less of those with less, and tenants move with their landlord (sea-level rise).",
            "standing_initiatives": "every neighbourhood has a supported citizen initiative from the start.",
            "generous_compensation": "the compensation scheme opens sooner, decides faster and pays what was "
            "promised (floods).",
            "flood_defences": "higher dikes stop most floods (flooding and sea-level rise; nothing in a leak).",
        },
        "cohesion": "Cohesion",
        "cohesion_note": "Cohesion sets three things at once: {ties}.",
        "ties": "{bonding_degree:g} bonding ties, {bridging_degree:g} bridging ties, homophily {homophily:g}",
        "ties_explained": "bonding ties (family, close friends and neighbours), bridging ties (acquaintances in "
        "other groups) and homophily (0: ties ignore class, 1: ties only within one's own class)",
        "advanced": "Advanced",
        "bonding_degree": "Bonding ties per household",
        "bridging_degree": "Bridging ties per household",
        "homophily": "Homophily",
        "delay_days": "Government delay (days)",
        "receptivity": "Government receptivity (reaches out)",
        "learning": "Government learning after each event",
        "households": "Households",
        "seed": "Seed (the same seed gives the same town and crisis)",
        "apply": "Settings take effect when you press Reset.",
        "pending": "You changed the settings: press Reset to start again with them.",
        "communities": {
            "low": "Low cohesion",
            "high": "High cohesion",
            "chosen": "This community",
            "without": "Without {lever}",
            "with": "With {lever}",
        },
        "clock": {
            "leak": "Day {whole_days:.0f}, {hour:02.0f}:00 (of {horizon_days:.0f} days)",
            "flooding": "Year {years:.1f} of {horizon_years:.0f} (week {weeks:.0f})",
            "sea_level_rise": "Year {years:.0f} of {horizon_years:.0f}",
        },
        "readout": "functioning {functioning} · recovered {recovered} · displaced {displaced} · in fear {fear} · "
        "initiatives {initiatives} · trust in government {trust} · precariaat vs the rest {gap}",
        "gap": "{days:+.1f} days, ratio {ratio:.2f}",
        "network_note": "Each dot is a household, coloured by how well it functions (red: hard hit, green: back to "
        "normal); squares are the precariaat. Grey lines are bonding ties, blue lines bridging ties. "
        "{shown}",
        "sample": "Showing {k:,} of {n:,} households, chosen at random.",
        "all": "Showing all {n:,} households.",
        "functioning": "functioning",
        "functioning_by_class": "Mean functioning of affected households, by class",
        "day": "day",
        "year": "year",
        "indicators": {
            "recovered_share": "share of affected households recovered",
            "stress": "mean stress",
            "fear_share": "share in fear of unavailable essentials",
            "active_initiatives": "active citizen initiatives",
            "prepared_share": "share of households prepared",
            "without_water_share": "share of households without tap water",
            "displaced_share": "share of households displaced",
            "transformed_neighbourhoods": "neighbourhoods transformed",
        },
        "classes": {
            "werkende_bovenlaag": "working upper class",
            "jongere_kansrijken": "young high-potentials",
            "rentenierende_bovenlaag": "retired upper class",
            "werkende_middengroep": "working middle group",
            "laagopgeleide_gepensioneerden": "low-educated pensioners",
            "onzekere_werkenden": "insecure workers",
            "precariaat": "precariat",
        },
    },
    "nl": {
        "title": "Veerkracht: hoe gemeenschappen herstellen na een crisis",
        "settings": "Instellingen",
        "scenario": "Crisis",
        "scenarios": {
            "leak": "Lek (opvangen)",
            "flooding": "Terugkerende overstromingen (aanpassen)",
            "sea_level_rise": "Zeespiegelstijging (transformeren)",
        },
        "explanations": {
            "leak": "Een waterleiding springt en een deel van de stad zit enkele uren zonder kraanwater. "
            "Huishoudens redden zich met een eigen voorraad en flessenwater van familie, buren, initiatieven en "
            "het waterbedrijf; wie zorg nodig heeft, of wiens huis water binnenkreeg, is later hersteld.",
            "flooding": "Dertig jaar lang overstroomt de stad om de paar jaar. Overstroomde huizen moeten drogen, "
            "betaald en hersteld worden voordat hun bewoners terug kunnen; zo lang logeren ze bij familie, in een "
            "tijdelijke woning of in noodonderdak. Huishoudens nemen maatregelen als ze die kunnen betalen, en doen "
            "hun buren na; de overheid kan van elke overstroming leren.",
            "sea_level_rise": "In een eeuw stijgt de zee en komen overstromingen vaker en harder. Een buurt kan "
            "samen worden opgehoogd en heringericht als genoeg bewoners dat steunen en de overheid met hen "
            "samenwerkt. Huishoudens die hun deel niet kunnen betalen, blijven achter.",
        },
        "page_step": {
            "leak": "Eén stap: één uur.",
            "flooding": "Eén stap: vier weken.",
            "sea_level_rise": "Eén stap: één jaar.",
        },
        "side_by_side": "Naast elkaar: twee keer dezelfde stad",
        "side_by_side_note": "Twee keer dezelfde stad (dezelfde huishoudens, dezelfde crisis, dezelfde overheid); "
        "alleen de banden verschillen. Weinig samenhang: {low}. Veel samenhang: {high}.",
        "compare": "Vergelijk",
        "compare_cohesion": "weinig en veel samenhang",
        "compare_lever": "zonder en met {lever}",
        "lever_note": "Twee keer dezelfde stad (dezelfde huishoudens, dezelfde banden, dezelfde crisis); alleen "
        "{lever} verschilt: {what}",
        "levers": {
            "caring_neighbourhood": "een zorgzame buurt",
            "diverse_housing": "gemengd wonen",
            "receptive_government": "een ontvankelijke overheid",
            "co_design": "samen ontwerpen",
            "standing_initiatives": "blijvende initiatieven",
            "generous_compensation": "ruimhartige compensatie",
            "flood_defences": "hogere dijken",
        },
        "levers_explained": {
            "caring_neighbourhood": "buurtwerkers en voorzieningen verbinden de huishoudens met de minste "
            "hulpbronnen met huishoudens die meer hebben, jaren voor de crisis.",
            "diverse_housing": "klassen wonen meer gemengd over de buurten.",
            "receptive_government": "de overheid begint ontvankelijk en samenwerkend, en handelt sneller.",
            "co_design": "bewoners en initiatieven zitten aan de ontwerptafel van een transformatie: een plan dat "
            "minder vraagt van wie minder heeft, en huurders verhuizen mee met hun verhuurder (zeespiegelstijging).",
            "standing_initiatives": "elke buurt heeft vanaf het begin een ondersteund burgerinitiatief.",
            "generous_compensation": "de compensatieregeling opent eerder, beslist sneller en betaalt wat beloofd "
            "is (overstromingen).",
            "flood_defences": "hogere dijken houden de meeste overstromingen tegen (overstromingen en "
            "zeespiegelstijging; niets bij een lek).",
        },
        "cohesion": "Samenhang",
        "cohesion_note": "Samenhang bepaalt drie dingen tegelijk: {ties}.",
        "ties": "{bonding_degree:g} sterke banden, {bridging_degree:g} overbruggende banden, homofilie {homophily:g}",
        "ties_explained": "sterke banden (familie, goede vrienden en buren), overbruggende banden (kennissen in "
        "andere groepen) en homofilie (0: banden negeren klasse, 1: banden alleen binnen de eigen klasse)",
        "advanced": "Geavanceerd",
        "bonding_degree": "Sterke banden per huishouden",
        "bridging_degree": "Overbruggende banden per huishouden",
        "homophily": "Homofilie",
        "delay_days": "Vertraging van de overheid (dagen)",
        "receptivity": "Ontvankelijkheid van de overheid (zoekt mensen op)",
        "learning": "Leervermogen van de overheid na elke gebeurtenis",
        "households": "Huishoudens",
        "seed": "Seed (dezelfde seed geeft dezelfde stad en crisis)",
        "apply": "Instellingen gaan in als u op Reset drukt.",
        "pending": "U hebt de instellingen veranderd: druk op Reset om ermee opnieuw te beginnen.",
        "communities": {
            "low": "Weinig samenhang",
            "high": "Veel samenhang",
            "chosen": "Deze gemeenschap",
            "without": "Zonder {lever}",
            "with": "Met {lever}",
        },
        "clock": {
            "leak": "Dag {whole_days:.0f}, {hour:02.0f}:00 (van {horizon_days:.0f} dagen)",
            "flooding": "Jaar {years:.1f} van {horizon_years:.0f} (week {weeks:.0f})",
            "sea_level_rise": "Jaar {years:.0f} van {horizon_years:.0f}",
        },
        "readout": "functioneren {functioning} · hersteld {recovered} · ontheemd {displaced} · in angst {fear} · "
        "initiatieven {initiatives} · vertrouwen in de overheid {trust} · precariaat t.o.v. de rest {gap}",
        "gap": "{days:+.1f} dagen, verhouding {ratio:.2f}",
        "network_note": "Elke stip is een huishouden, gekleurd naar hoe goed het functioneert (rood: zwaar getroffen, "
        "groen: weer normaal); vierkantjes zijn het precariaat. Grijze lijnen zijn sterke banden, blauwe lijnen "
        "overbruggende banden. {shown}",
        "sample": "We tonen {k:,} van de {n:,} huishoudens, willekeurig gekozen.",
        "all": "We tonen alle {n:,} huishoudens.",
        "functioning": "functioneren",
        "functioning_by_class": "Gemiddeld functioneren van getroffen huishoudens, per klasse",
        "day": "dag",
        "year": "jaar",
        "indicators": {
            "recovered_share": "aandeel getroffen huishoudens hersteld",
            "stress": "gemiddelde stress",
            "fear_share": "aandeel in angst voor tekorten",
            "active_initiatives": "actieve burgerinitiatieven",
            "prepared_share": "aandeel huishoudens voorbereid",
            "without_water_share": "aandeel huishoudens zonder kraanwater",
            "displaced_share": "aandeel huishoudens ontheemd",
            "transformed_neighbourhoods": "buurten getransformeerd",
        },
        "classes": {
            "werkende_bovenlaag": "werkende bovenlaag",
            "jongere_kansrijken": "jongere kansrijken",
            "rentenierende_bovenlaag": "rentenierende bovenlaag",
            "werkende_middengroep": "werkende middengroep",
            "laagopgeleide_gepensioneerden": "laagopgeleide gepensioneerden",
            "onzekere_werkenden": "onzekere werkenden",
            "precariaat": "precariaat",
        },
    },
}


def community_name(text: dict, compare: str, name: str) -> str:
    """A community's name on the page: ``Low cohesion``, or ``With a receptive government`` for a lever compared."""
    return text["communities"][name].format(lever=text["levers"].get(compare, ""))
