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
        "compare_homophily": "ties within one's class, or mixed",
        "compare_government": "a directive or a receptive government",
        "compare_ties_and_government": "ties and government, two by two (four towns)",
        "compare_lever": "without and with {lever}",
        "side_note": {
            "homophily": "The same town twice, with as many ties; only who they join differs: within one's own class "
            "(homophily {closed:g}) or mixed (homophily {mixed:g}).",
            "government": "The same town twice; only the government's stance differs: directive and defensive (it waits "
            "for applications and decides alone) or receptive and cooperative (it reaches out and works with "
            "initiatives). Households answer its stance, and it answers theirs.",
            "ties_and_government": "The same town four times: few or many ties (low or high cohesion), each with a "
            "directive or a receptive government. Which matters more, and for whom?",
        },
        "lever_note": "The same town twice (same households, same ties, same crisis); only {lever} differs: {what}",
        "levers": {
            "caring_neighbourhood": "a caring neighbourhood",
            "diverse_housing": "diverse housing",
            "receptive_government": "a receptive government",
            "co_design": "co-design",
            "standing_initiatives": "standing initiatives",
            "generous_compensation": "generous compensation",
            "flood_defences": "higher dikes",
            "government_collaboration": "collaborating government organisations",
            "outcome_accountability": "accountability for outcomes",
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
            "government_collaboration": "the municipality, the water authority and the compensation scheme agree "
            "joint rules and a joint desk before the crisis: referrals and warnings pass faster between them.",
            "outcome_accountability": "government organisations are judged on what people got, not on procedure "
            "followed: less bureaucracy, and criticism is read as what to improve.",
        },
        "cohesion": "Cohesion",
        "levers_chosen": "Policy levers in every town",
        "levers_note": "{midway} act at once; the other levers when you press Reset.",
        "and": " and ",
        "cohesion_note": "Cohesion sets three things at once: {ties}.",
        "ties": "{bonding} · {bridging} · homophily {homophily}",
        "tie_words": {"bonding": ("bonding tie", "bonding ties"), "bridging": ("bridging tie", "bridging ties")},
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
        "apply": "The government's settings act at once; the others when you press Reset.",
        "pending": "You changed the settings: press Reset to start again with them.",
        "communities": {
            "low": "Low cohesion",
            "high": "High cohesion",
            "closed": "Ties within one's class",
            "mixed": "Mixed ties",
            "directive": "Directive government",
            "receptive": "Receptive government",
            "chosen": "This town",
            "without": "Without {lever}",
            "with": "With {lever}",
        },
        "clock": {
            "leak": "Day {whole_days:.0f}, {hour:02.0f}:00 (of {horizon_days:.0f} days)",
            "flooding": "Year {years_tenths} of {horizon_years} (week {weeks:.0f})",
            "sea_level_rise": "Year {years_whole} of {horizon_years}",
        },
        "controls": {
            "reset": "Reset",
            "play": "Play",
            "pause": "Pause",
            "step": "Step",
            "skip": {"flooding": "To the next flood", "sea_level_rise": "To the next flood"},
            "speeds": {"slow": "slow", "normal": "normal", "fast": "fast"},
            "projector": "Projector",
        },
        "score": {
            "functioning": "functioning of those hit",
            "back": "of those hit are back",
            "t90": "until 90% were back",
            "gap": "precariaat later than the rest",
            "earlier": "precariaat earlier than the rest",
            "no_crisis": "no crisis yet",
            "hit": "{hit} households hit by the latest {event}",
            "event": {"leak": "burst", "flooding": "flood", "sea_level_rise": "flood"},
            "displaced": "{share} of all households not at home ({hosted} with family or friends, {temporary} in a "
            "temporary home, {emergency} in emergency lodging)",
            "transformed": "{transformed} of {neighbourhoods} neighbourhoods transformed · {behind} households left behind",
        },
        "finished": {
            "leak": "The leak is over. Try next: compare a receptive government, or move the cohesion control and "
            "look at the precariaat's line.",
            "flooding": "Thirty years of floods are over. Try next: compare higher dikes or generous compensation, "
            "and look at the bars per flood.",
            "sea_level_rise": "A century of sea-level rise is over. Try next: compare co-design, and count who was "
            "left behind.",
        },
        "network_note": "Each dot is a household: grey if the crisis has not hit it, otherwise coloured by how well it "
        "functions (red: hard hit, dark green: recovered, from {threshold}). Squares are the precariaat; crosses, "
        "households that could not follow their neighbourhood's transformation; a black circle, a transformed "
        "neighbourhood. Grey lines are bonding ties, blue lines bridging ties. {shown}",
        "recovered_tick": "{threshold:.0f}%: recovered",
        "sample": "Showing {k} of {n} households, chosen at random.",
        "all": "Showing all {n} households.",
        "household": {
            "hint": "Click a household to see its state.",
            "title": "Household {household}",
            "close": "Close",
            "town": "Town",
            "class": "Class",
            "capitals": "Capital (0 to 1)",
            "capital_names": {
                "economic": "economic",
                "social": "social",
                "cultural": "cultural",
                "personal": "personal",
            },
            "functioning": "Functioning now",
            "hit": "Hit by the crisis",
            "yes": "yes",
            "no": "no",
            "lives": "Lives",
            "where": {
                "at_home": "at home",
                "hosted": "with family or friends",
                "temporary": "in a temporary home",
                "emergency": "in emergency lodging",
            },
            "ties": "Ties",
            "trust": "Trust in the government",
            "savings": "Savings left",
            "savings_euros": "€{euros} ({share} of what it had)",
        },
        "recovered_by_class": {
            "leak": "Per class: of the households hit, back to normal since the burst (black: the precariaat)",
            "flooding": "Per class: of the households hit, back to normal since the latest flood (black: the precariaat)",
            "sea_level_rise": "Per class: of the households hit, back to normal since the latest flood "
            "(black: the precariaat)",
        },
        "since_event": {
            "leak": "hours since the burst",
            "flooding": "months since the flood",
            "sea_level_rise": "years since the flood",
        },
        "back_since_event": "Of the households hit: back to normal",
        "no_event_yet": {"leak": "no burst yet", "flooding": "no flood yet", "sea_level_rise": "no flood yet"},
        "difference": {
            "sooner": "{second}: 90% of those hit were back {amount} sooner than in the other town",
            "later": "{second}: 90% of those hit were back {amount} later than in the other town",
            "same": "In both towns 90% of those hit were back after the same time: {amount}",
            "one_back": "{back}: 90% of those hit were back after {amount}; in the other town not yet",
            "better": "{second}: those hit function {points} percentage points better than in the other town",
            "worse": "{second}: those hit function {points} percentage points worse than in the other town",
            "level": "Those hit function about as well in both towns",
        },
        "flood_damage": "Functioning lost per flood (mean of those hit)",
        "flood_recovery_days": "Days until back (mean; those still out: until now)",
        "flood_number": "flood (under its number: its severity)",
        "no_flood_yet": "no flood yet",
        "hour": "hour",
        "year": "year",
        "indicators": {
            "stress": "mean stress",
            "fear_share": "in fear of shortages",
            "trust": "trust in government",
            "active_initiatives": "active citizen initiatives",
            "prepared_share": "households prepared",
            "without_water_share": "households without tap water",
            "displaced_share": "households not at home",
            "transformed_neighbourhoods": "neighbourhoods transformed",
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
            "tijdelijke woning of in noodopvang. Huishoudens nemen maatregelen als ze die kunnen betalen, en doen "
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
        "compare_homophily": "banden binnen de eigen klasse, of gemengd",
        "compare_government": "een sturende of een ontvankelijke overheid",
        "compare_ties_and_government": "banden en overheid, twee bij twee (vier steden)",
        "compare_lever": "zonder en met {lever}",
        "side_note": {
            "homophily": "Twee keer dezelfde stad, met evenveel banden; alleen met wie verschilt: binnen de eigen klasse "
            "(homofilie {closed:g}) of gemengd (homofilie {mixed:g}).",
            "government": "Twee keer dezelfde stad; alleen de houding van de overheid verschilt: sturend en afwerend (ze "
            "wacht op aanvragen en beslist alleen) of ontvankelijk en samenwerkend (ze zoekt mensen op en werkt met "
            "initiatieven). Huishoudens reageren op haar houding, en zij op die van hen.",
            "ties_and_government": "Vier keer dezelfde stad: weinig of veel banden (weinig of veel samenhang), elk met "
            "een sturende of een ontvankelijke overheid. Wat telt het zwaarst, en voor wie?",
        },
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
            "government_collaboration": "samenwerkende overheidsorganisaties",
            "outcome_accountability": "verantwoording over resultaten",
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
            "government_collaboration": "de gemeente, het waterschap en de compensatieregeling maken voor de crisis "
            "samen regels en een gezamenlijk loket: doorverwijzingen en waarschuwingen gaan sneller.",
            "outcome_accountability": "overheidsorganisaties worden beoordeeld op wat mensen kregen, niet op de "
            "gevolgde procedure: minder bureaucratie, en kritiek wordt gelezen als wat beter moet.",
        },
        "cohesion": "Samenhang",
        "levers_chosen": "Beleidsmaatregelen in elke stad",
        "levers_note": "{midway} werken meteen; de andere maatregelen als je op Opnieuw drukt.",
        "and": " en ",
        "cohesion_note": "Samenhang bepaalt drie dingen tegelijk: {ties}.",
        "ties": "{bonding} · {bridging} · homofilie {homophily}",
        "tie_words": {
            "bonding": ("sterke band", "sterke banden"),
            "bridging": ("overbruggende band", "overbruggende banden"),
        },
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
        "seed": "Startwaarde (dezelfde startwaarde geeft dezelfde stad en crisis)",
        "apply": "De instellingen van de overheid werken meteen; de andere als je op Opnieuw drukt.",
        "pending": "Je hebt de instellingen veranderd: druk op Opnieuw om ermee opnieuw te beginnen.",
        "communities": {
            "low": "Weinig samenhang",
            "high": "Veel samenhang",
            "closed": "Banden binnen de eigen klasse",
            "mixed": "Gemengde banden",
            "directive": "Sturende overheid",
            "receptive": "Ontvankelijke overheid",
            "chosen": "Deze stad",
            "without": "Zonder {lever}",
            "with": "Met {lever}",
        },
        "clock": {
            "leak": "Dag {whole_days:.0f}, {hour:02.0f}:00 (van {horizon_days:.0f} dagen)",
            "flooding": "Jaar {years_tenths} van {horizon_years} (week {weeks:.0f})",
            "sea_level_rise": "Jaar {years_whole} van {horizon_years}",
        },
        "controls": {
            "reset": "Opnieuw",
            "play": "Afspelen",
            "pause": "Pauze",
            "step": "Stap",
            "skip": {"flooding": "Naar de volgende overstroming", "sea_level_rise": "Naar de volgende overstroming"},
            "speeds": {"slow": "langzaam", "normal": "normaal", "fast": "snel"},
            "projector": "Beamer",
        },
        "score": {
            "functioning": "functioneren van de getroffenen",
            "back": "van de getroffenen is terug",
            "t90": "tot 90% terug was",
            "gap": "precariaat later dan de rest",
            "earlier": "precariaat eerder dan de rest",
            "no_crisis": "nog geen crisis",
            "hit": "{hit} huishoudens getroffen door de laatste {event}",
            "event": {"leak": "breuk", "flooding": "overstroming", "sea_level_rise": "overstroming"},
            "displaced": "{share} van alle huishoudens niet thuis ({hosted} bij familie of vrienden, {temporary} in een "
            "tijdelijke woning, {emergency} in noodopvang)",
            "transformed": "{transformed} van {neighbourhoods} buurten getransformeerd · {behind} huishoudens achtergebleven",
        },
        "finished": {
            "leak": "Het lek is voorbij. Probeer hierna: vergelijk een ontvankelijke overheid, of verschuif de "
            "samenhang en kijk naar de lijn van het precariaat.",
            "flooding": "Dertig jaar overstromingen zijn voorbij. Probeer hierna: vergelijk hogere dijken of "
            "ruimhartige compensatie, en kijk naar de staven per overstroming.",
            "sea_level_rise": "Een eeuw zeespiegelstijging is voorbij. Probeer hierna: vergelijk samen ontwerpen, en "
            "tel wie achterbleef.",
        },
        "network_note": "Elke stip is een huishouden: grijs als de crisis het niet trof, anders gekleurd naar hoe goed "
        "het functioneert (rood: zwaar getroffen, donkergroen: hersteld, vanaf {threshold}). Vierkantjes zijn het "
        "precariaat; kruisjes, huishoudens die de transformatie van hun buurt niet konden volgen; een zwarte cirkel, "
        "een getransformeerde buurt. Grijze lijnen zijn sterke banden, blauwe lijnen overbruggende banden. {shown}",
        "recovered_tick": "{threshold:.0f}%: hersteld",
        "sample": "We tonen {k} van de {n} huishoudens, willekeurig gekozen.",
        "all": "We tonen alle {n} huishoudens.",
        "household": {
            "hint": "Klik op een huishouden om te zien hoe het ervoor staat.",
            "title": "Huishouden {household}",
            "close": "Sluiten",
            "town": "Stad",
            "class": "Klasse",
            "capitals": "Kapitaal (0 tot 1)",
            "capital_names": {
                "economic": "economisch",
                "social": "sociaal",
                "cultural": "cultureel",
                "personal": "persoonlijk",
            },
            "functioning": "Functioneren nu",
            "hit": "Getroffen door de crisis",
            "yes": "ja",
            "no": "nee",
            "lives": "Woont",
            "where": {
                "at_home": "thuis",
                "hosted": "bij familie of vrienden",
                "temporary": "in een tijdelijke woning",
                "emergency": "in noodopvang",
            },
            "ties": "Banden",
            "trust": "Vertrouwen in de overheid",
            "savings": "Spaargeld over",
            "savings_euros": "€ {euros} ({share} van wat het had)",
        },
        "recovered_by_class": {
            "leak": "Per klasse: van de getroffen huishoudens weer normaal sinds de breuk (zwart: het precariaat)",
            "flooding": "Per klasse: van de getroffen huishoudens weer normaal sinds de laatste overstroming "
            "(zwart: het precariaat)",
            "sea_level_rise": "Per klasse: van de getroffen huishoudens weer normaal sinds de laatste overstroming "
            "(zwart: het precariaat)",
        },
        "since_event": {
            "leak": "uren sinds de breuk",
            "flooding": "maanden sinds de overstroming",
            "sea_level_rise": "jaren sinds de overstroming",
        },
        "back_since_event": "Van de getroffen huishoudens: weer normaal",
        "no_event_yet": {
            "leak": "nog geen breuk",
            "flooding": "nog geen overstroming",
            "sea_level_rise": "nog geen overstroming",
        },
        "difference": {
            "sooner": "{second}: 90% van de getroffenen was {amount} eerder terug dan in de andere stad",
            "later": "{second}: 90% van de getroffenen was {amount} later terug dan in de andere stad",
            "same": "In beide steden was 90% van de getroffenen even snel terug: na {amount}",
            "one_back": "{back}: 90% van de getroffenen was terug na {amount}; in de andere stad nog niet",
            "better": "{second}: de getroffenen functioneren {points} procentpunt beter dan in de andere stad",
            "worse": "{second}: de getroffenen functioneren {points} procentpunt slechter dan in de andere stad",
            "level": "De getroffenen functioneren in beide steden ongeveer even goed",
        },
        "flood_damage": "Functioneren verloren per overstroming (gemiddeld)",
        "flood_recovery_days": "Dagen tot terug (gemiddeld; wie nog weg is: tot nu)",
        "flood_number": "overstroming (onder haar nummer: hoe zwaar ze was)",
        "no_flood_yet": "nog geen overstroming",
        "hour": "uur",
        "year": "jaar",
        "indicators": {
            "stress": "gemiddelde stress",
            "fear_share": "in angst voor tekorten",
            "trust": "vertrouwen in de overheid",
            "active_initiatives": "actieve burgerinitiatieven",
            "prepared_share": "huishoudens voorbereid",
            "without_water_share": "huishoudens zonder kraanwater",
            "displaced_share": "huishoudens niet thuis",
            "transformed_neighbourhoods": "buurten getransformeerd",
        },
    },
}


def community_name(text: dict, compare: str, name: str) -> str:
    """A community's name on the page: ``Low cohesion``, ``With a receptive government`` for a lever compared,
    ``Low cohesion · Receptive government`` for a town of two sides."""
    lever = text["levers"].get(compare, "")
    return " · ".join(text["communities"][side].format(lever=lever) for side in name.split("-"))
