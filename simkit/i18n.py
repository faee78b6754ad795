"""Labels and narrative in English and Finnish, for the notebooks' widgets, figures and lessons.

One current language for the whole kernel (``set_language("fi")``); every label, axis title and
lesson text is looked up when it is drawn, so switching the language and re-running a cell
redraws it in the other language. Metric labels, daily column labels and unit names come from
the metric registry (:mod:`simkit.registry`), in every language it declares.
"""

from __future__ import annotations

from simkit import registry

LANGUAGES = ("en", "fi")
_state = {"language": "en"}


def set_language(language: str) -> str:
    """Switch labels and narrative to ``"en"`` or ``"fi"``; returns the language now in use."""
    code = str(language).strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    _state["language"] = code
    return code


def get_language() -> str:
    return _state["language"]


def t(key: str, language: str | None = None, **values) -> str:
    """The text for ``key`` in the current language, with ``{placeholders}`` filled in."""
    entry = TEXTS.get(key)
    if entry is None:
        raise KeyError(f"no text for {key!r}")
    text = entry.get(language or get_language()) or entry["en"]
    return text.format(**values) if values else text


def metric_label(name: str, language: str | None = None, with_unit: bool = False) -> str:
    """A short label of a metric or a daily column in the current language (from the registry);
    a name the registry does not know is its own label."""
    language = language or get_language()
    resolved = registry.lookup(name)
    if resolved is None:
        return name
    label = resolved.label(language)
    return f"{label} ({unit_label(resolved.metric.unit, language)})" if with_unit and resolved.metric.unit else label


def unit_label(unit: str, language: str | None = None) -> str:
    """A unit in the current language (units are declared in English in the schema and registry)."""
    return registry.unit_name(unit, language or get_language())


def daily_label(column: str, language: str | None = None) -> str:
    """A daily series column's label in the current language (:data:`simkit.registry.DAILY_COLUMNS`)."""
    return metric_label(column, language)


TEXTS: dict[str, dict[str, str]] = {
    # -- generic labels -------------------------------------------------------------------
    "date": {"en": "Date", "fi": "Päivämäärä"},
    "day": {"en": "Day", "fi": "Päivä"},
    "mean": {"en": "mean", "fi": "keskiarvo"},
    "band_ci": {"en": "95% CI of the mean over {n} replications", "fi": "keskiarvon 95 %:n luottamusväli, {n} toistoa"},
    "band_range": {"en": "95% of {n} replications", "fi": "95 % {n} toistosta"},
    "difference": {"en": "Change from the base (paired, 95% CI)", "fi": "Muutos perustilanteeseen (parittain, 95 %:n lv.)"},
    "base": {"en": "Base", "fi": "Perustilanne"},
    "variant": {"en": "Variant", "fi": "Vaihtoehto"},
    "pilot": {"en": "Pilot (municipal coaches)", "fi": "Kokeilu (omavalmentajat)"},
    "te_office": {"en": "TE office (TE experts)", "fi": "TE-toimisto (TE-asiantuntijat)"},
    "coaches": {"en": "Coaches", "fi": "Omavalmentajia"},
    "te_experts": {"en": "TE experts", "fi": "TE-asiantuntijoita"},
    "inflow": {"en": "Inflow", "fi": "Tulovirta"},
    "contact_persons": {"en": "Kela contact persons", "fi": "Kelan yhdyshenkilöitä"},
    "scenario": {"en": "Scenario", "fi": "Skenaario"},
    "replications": {"en": "Replications", "fi": "Toistoja"},
    "run": {"en": "Run", "fi": "Aja"},
    "running": {"en": "Running {n} replications", "fi": "Ajetaan {n} toistoa"},
    "rules_2021": {"en": "2021 rules", "fi": "Vuoden 2021 säännöt"},
    "rules_nordic-2022": {"en": "Nordic model (2022)", "fi": "Pohjoismainen malli (2022)"},
    "axis.clients": {"en": "Clients (clients)", "fi": "Asiakkaita (asiakasta)"},
    "axis.clients_per_person": {"en": "Clients per person (clients)", "fi": "Asiakkaita / henkilö (asiakasta)"},
    "axis.per_day": {"en": "Per day (questions, callbacks)", "fi": "Päivässä (kysymyksiä, takaisinsoittoja)"},
    "cap": {"en": "coach caseload cap {n}", "fi": "omavalmentajan asiakaskatto {n}"},
    "title.caseload_vs_coaches": {"en": "Clients per coach against the number of coaches",
                                  "fi": "Asiakkaita / omavalmentaja omavalmentajien määrän mukaan"},
    "axis.caseload": {"en": "Clients per coach (clients per person)", "fi": "Asiakkaita / omavalmentaja (asiakasta / henkilö)"},
    "target_le": {"en": "target ≤ {v}", "fi": "tavoite ≤ {v}"},
    "smallest_short": {"en": "smallest meeting all targets: {n}", "fi": "pienin kaikki tavoitteet täyttävä: {n}"},
    "unit": {"en": "unit", "fi": "yksikkö"},
    "panel.client_builder": {"en": "Client builder", "fi": "Asiakasrakennin"},
    "panel.workbench": {"en": "Planner's workbench", "fi": "Suunnittelijan työpöytä"},
    "panel.editor": {"en": "Scenario editor", "fi": "Skenaarioeditori"},
    "panel": {"en": "Interactive panel", "fi": "Vuorovaikutteinen paneeli"},
    "panel_hint": {"en": "[{name}: run the notebook (Run → Run All Cells) to use it]",
                   "fi": "[{name}: aja muistio (Run → Run All Cells) käyttääksesi sitä]"},
    "persons_unit": {"en": "persons", "fi": "henkilöä"},
    "share_percent": {"en": "share (%)", "fi": "osuus (%)"},
    # -- lesson 01: the pilot rule --------------------------------------------------------
    "attr.resides_in_pilot_area": {"en": "Lives in a pilot municipality", "fi": "Asuu kokeilukunnassa"},
    "attr.kela_benefit": {"en": "Gets labour market subsidy or basic allowance from Kela",
                          "fi": "Saa Kelasta työmarkkinatukea tai peruspäivärahaa"},
    "attr.under_30": {"en": "Is under 30", "fi": "On alle 30-vuotias"},
    "attr.foreign_language": {"en": "Native language other than Finnish, Swedish or Sámi",
                              "fi": "Äidinkieli muu kuin suomi, ruotsi tai saame"},
    "attr.foreign_citizen": {"en": "Is not a Finnish citizen", "fi": "Ei ole Suomen kansalainen"},
    "verdict.pilot": {"en": "Pilot client: served by a municipal coach", "fi": "Kokeilun asiakas: kunnan omavalmentaja palvelee"},
    "verdict.te": {"en": "TE office client: stays with the TE office", "fi": "TE-toimiston asiakas: jää TE-toimistoon"},
    "reason.outside": {"en": "lives outside the pilot municipalities", "fi": "asuu kokeilualueen ulkopuolella"},
    "reason.none": {"en": "over 30, native Finnish/Swedish/Sámi speaker, Finnish citizen, not on a Kela benefit",
                    "fi": "yli 30-vuotias, äidinkieli suomi/ruotsi/saame, Suomen kansalainen, ei Kelan etuutta"},
    "reason.because": {"en": "because: {reasons}", "fi": "koska: {reasons}"},
    "title.caseload_year": {"en": "Clients per coach over the first pilot year", "fi": "Asiakkaita omavalmentajaa kohden kokeilun ensimmäisenä vuonna"},
    "title.side_by_side": {"en": "Pilot coaches and TE experts side by side", "fi": "Omavalmentajat ja TE-asiantuntijat rinnakkain"},
    # -- lesson 02: time per client -------------------------------------------------------
    "title.meeting_plan": {"en": "Meetings due in a client's first year", "fi": "Asiakkaan ensimmäisen vuoden tapaamiset"},
    "meetings_first_year": {"en": "{rules}: {n} meetings in the first year (◆ first-meeting deadline)",
                            "fi": "{rules}: {n} tapaamista ensimmäisenä vuonna (◆ ensitapaamisen määräaika)"},
    "axis.days_since_registration": {"en": "Days since registration (days)", "fi": "Päiviä ilmoittautumisesta (päivää)"},
    "axis.rules": {"en": "Meeting rules", "fi": "Tapaamissäännöt"},
    "title.hours_per_client": {"en": "Coach hours per client per month", "fi": "Omavalmentajan aikaa asiakasta kohden kuukaudessa"},
    "title.first_meetings": {"en": "First meetings on time as coaches are added or removed",
                             "fi": "Ensitapaamiset ajallaan, kun omavalmentajia lisätään tai vähennetään"},
    "axis.coaches": {"en": "Coaches (persons)", "fi": "Omavalmentajia (henkilöä)"},
    "axis.on_time": {"en": "First meetings on time (%)", "fi": "Ensitapaamiset ajallaan (%)"},
    "selected": {"en": "selected: {n} coaches", "fi": "valittu: {n} omavalmentajaa"},
    # -- lesson 03: Kela line ---------------------------------------------------------------
    "title.kela_daily": {"en": "Kela questions and callbacks per day", "fi": "Kela-kysymykset ja takaisinsoitot päivittäin"},
    "title.erlang": {"en": "Waiting on the Kela line: simulation and Erlang C", "fi": "Jonotus Kelan linjalla: simulointi ja Erlang C"},
    "axis.questions_per_client_month": {"en": "Questions per client per month", "fi": "Kysymyksiä / asiakas / kk"},
    "axis.wait_minutes": {"en": "Mean wait (minutes)", "fi": "Keskimääräinen jonotus (min)"},
    "simulation": {"en": "Simulation (95% CI)", "fi": "Simulointi (95 %:n lv.)"},
    "erlang_c": {"en": "Erlang C formula", "fi": "Erlang C -kaava"},
    "title.kela_by_rate": {"en": "The scenario's Kela line as questions grow",
                           "fi": "Skenaarion Kela-linja kysymysten kasvaessa"},
    "load_per_person": {"en": "Load per contact person", "fi": "Kuormitus / yhdyshenkilö"},
    "title.staff_needed": {"en": "Contact persons needed for a waiting target", "fi": "Tarvittavat yhdyshenkilöt jonotustavoitteeseen"},
    # -- lesson 04: planning --------------------------------------------------------------
    "title.compare": {"en": "{variant} against {base}", "fi": "{variant} verrattuna: {base}"},
    "title.daily_compare": {"en": "Clients per coach: base and variant", "fi": "Asiakkaita / omavalmentaja: perustilanne ja vaihtoehto"},
    "smallest_none": {"en": "No staff count in {low}–{high} meets all targets.", "fi": "Mikään henkilömäärä väliltä {low}–{high} ei täytä kaikkia tavoitteita."},
    "smallest_found": {"en": "Smallest {what} meeting all targets: {n}", "fi": "Pienin henkilömäärä ({what}), joka täyttää kaikki tavoitteet: {n}"},
    "targets": {"en": "Targets", "fi": "Tavoitteet"},
    "target": {"en": "target", "fi": "tavoite"},
    "find_smallest": {"en": "Find the smallest number of coaches", "fi": "Etsi pienin omavalmentajamäärä"},
    "title.search": {"en": "{metric} against the staff", "fi": "{metric} henkilöstön mukaan"},
    "exported": {"en": "Saved {files}", "fi": "Tallennettu {files}"},
    "export": {"en": "Export CSV and figure", "fi": "Vie CSV ja kuva"},
    # -- lesson 05: editor ----------------------------------------------------------------
    "validate": {"en": "Validate", "fi": "Tarkista"},
    "save_as": {"en": "Save as", "fi": "Tallenna nimellä"},
    "new_file": {"en": "New file", "fi": "Uusi tiedosto"},
    "overwrite_confirm": {"en": "Yes, overwrite the existing file", "fi": "Kyllä, korvaa olemassa oleva tiedosto"},
    "valid": {"en": "The scenario is valid.", "fi": "Skenaario on kelvollinen."},
    "invalid": {"en": "The scenario has {n} problem(s):", "fi": "Skenaariossa on {n} ongelma(a):"},
    "exists": {"en": "{path} exists already. Tick the box to overwrite it, or choose another name.",
               "fi": "{path} on jo olemassa. Rastita ruutu korvataksesi sen, tai valitse toinen nimi."},
    "saved": {"en": "Saved {path} ({n} value(s) changed, comments kept).",
              "fi": "Tallennettu {path} ({n} arvo(a) muutettu, kommentit säilytetty)."},
    "each": {"en": "each", "fi": "kukin"},
    "range": {"en": "allowed {range}", "fi": "sallittu {range}"},
    "unchanged": {"en": "Nothing changed yet.", "fi": "Ei vielä muutoksia."},
    "events_kept": {"en": "{n} dated event(s) ([[events]]) are kept as they are in the file.",
                    "fi": "{n} päivättyä tapahtumaa ([[events]]) säilyy tiedostossa sellaisenaan."},
    "changes": {"en": "Changes", "fi": "Muutokset"},
}


LESSONS: dict[str, dict[str, str]] = {
    "00.welcome": {
        "en": "**Welcome to simkit.** These notebooks model the municipal employment pilot "
              "(*työllisyyden kuntakokeilu*, 2021–2024): who became a municipal client, how many "
              "clients a personal coach holds, how much time each client gets, and how busy the Kela "
              "contact person's line is. Run each notebook top to bottom (*Run → Run All Cells*). "
              "Every run is seeded: the same settings always give the same numbers.",
        "fi": "**Tervetuloa simkitiin.** Nämä muistiot mallintavat työllisyyden kuntakokeilua "
              "(2021–2024): kuka siirtyi kunnan asiakkaaksi, montako asiakasta omavalmentajalla on, "
              "paljonko aikaa kukin asiakas saa ja kuinka kuormittunut Kelan yhdyshenkilön linja on. "
              "Aja jokainen muistio alusta loppuun (*Run → Run All Cells*). Jokainen ajo on siemennetty: "
              "samat asetukset antavat aina samat luvut.",
    },
    "00.notice": {
        "en": "Each number comes with a **95% confidence interval** over the replications: the model "
              "is random (who arrives, how long they stay), so one run is one possible year. "
              "Narrow intervals mean enough replications.",
        "fi": "Jokaisella luvulla on **95 %:n luottamusväli** toistojen yli: malli on satunnainen "
              "(kuka tulee asiakkaaksi, kuinka pitkäksi aikaa), joten yksi ajo on yksi mahdollinen vuosi. "
              "Kapea väli kertoo, että toistoja on tarpeeksi.",
    },
    "00.exercise": {
        "en": "**Exercise.** Run the scenario again with 25 coaches "
              "(`ui.lever_overrides(scenario, coaches=25)`, below). Which numbers move, which stay?",
        "fi": "**Tehtävä.** Aja skenaario uudelleen 25 omavalmentajalla "
              "(`ui.lever_overrides(scenario, coaches=25)`, alla). Mitkä luvut muuttuvat, mitkä pysyvät?",
    },
    "01.question": {
        "en": "**Question.** Who becomes a pilot client, and how many clients does each personal coach "
              "then hold during the first pilot year?",
        "fi": "**Kysymys.** Kuka siirtyy kokeilun asiakkaaksi, ja montako asiakasta kullakin "
              "omavalmentajalla on kokeilun ensimmäisenä vuonna?",
    },
    "01.notice": {
        "en": "**What to notice.** About three clients in four fall into the pilot group, mostly "
              "through the Kela benefit. The caseload per coach settles near the level the inflow and "
              "staff allow; the TE experts keep the rest, with a higher caseload per person.",
        "fi": "**Huomaa.** Noin kolme asiakasta neljästä kuuluu kokeilun kohderyhmään, useimmat Kelan "
              "etuuden perusteella. Asiakasmäärä omavalmentajaa kohden asettuu tasolle, jonka tulovirta ja "
              "henkilöstö sallivat; TE-asiantuntijoille jäävät muut, ja heillä on enemmän asiakkaita "
              "henkeä kohden.",
    },
    "01.exercise": {
        "en": "**Exercise.** Build a 35-year-old Finnish speaker on earnings-related allowance in the "
              "client builder: where does she go? Then set the Kela-benefit share to 0.4: how does the "
              "coaches' caseload change?",
        "fi": "**Tehtävä.** Rakenna asiakasrakentimessa 35-vuotias suomenkielinen ansiopäivärahan saaja: "
              "minne hän menee? Aseta sitten Kelan etuuden saajien osuudeksi 0,4: miten "
              "omavalmentajien asiakasmäärä muuttuu?",
    },
    "02.question": {
        "en": "**Question.** How much coach time does one client get in a month, under the 2021 rules and "
              "under the Nordic labour service model of May 2022, and can first meetings be held on time?",
        "fi": "**Kysymys.** Paljonko omavalmentajan aikaa yksi asiakas saa kuukaudessa vuoden 2021 "
              "säännöillä ja toukokuun 2022 pohjoismaisella työvoimapalvelumallilla, ja ehditäänkö "
              "ensitapaamiset pitää ajallaan?",
    },
    "02.notice": {
        "en": "**What to notice.** The Nordic model roughly doubles the meetings a new client needs. With "
              "the same coaches the diaries fill up: meeting time is fully used, meetings fall late and "
              "the 5-working-day first meeting is mostly missed. Adding coaches helps only slowly.",
        "fi": "**Huomaa.** Pohjoismainen malli noin kaksinkertaistaa uuden asiakkaan tapaamiset. Samalla "
              "henkilöstöllä kalenterit täyttyvät: tapaamisaika käytetään kokonaan, tapaamiset myöhästyvät "
              "eikä ensitapaamista useimmiten ehditä pitää viidessä työpäivässä. Lisähenkilöstö auttaa "
              "vain hitaasti.",
    },
    "02.exercise": {
        "en": "**Exercise.** Under the Nordic model, shorten meetings to 30 minutes "
              "(`meeting.minutes`). How many coaches are then needed for 90% on-time first meetings?",
        "fi": "**Tehtävä.** Lyhennä pohjoismaisessa mallissa tapaamiset 30 minuuttiin "
              "(`meeting.minutes`). Montako omavalmentajaa tarvitaan, jotta 90 % ensitapaamisista "
              "pidetään ajallaan?",
    },
    "03.question": {
        "en": "**Question.** Coaches phone the Kela contact person daily. How long do they wait, how many "
              "give up and ask for a callback, and how many contact persons does a waiting target need?",
        "fi": "**Kysymys.** Omavalmentajat soittavat Kelan yhdyshenkilölle päivittäin. Kauanko he "
              "jonottavat, moniko jättää takaisinsoittopyynnön, ja montako yhdyshenkilöä "
              "jonotustavoite vaatii?",
    },
    "03.notice": {
        "en": "**What to notice.** Waiting grows slowly at first and then steeply as the line's load "
              "approaches 100%. With patient callers the simulation agrees with the Erlang C formula; "
              "with a 5-minute patience, callbacks cap the wait but the answer takes hours instead.",
        "fi": "**Huomaa.** Jonotus kasvaa ensin hitaasti ja sitten jyrkästi, kun linjan kuormitus "
              "lähestyy 100 %:a. Kärsivällisillä soittajilla simulointi vastaa Erlang C -kaavaa; viiden "
              "minuutin kärsivällisyydellä takaisinsoitot rajaavat jonotuksen, mutta vastaus viipyy tunteja.",
    },
    "03.exercise": {
        "en": "**Exercise.** Double the handle time to 24 minutes. How many contact persons keep the mean "
              "wait under 2 minutes? Check the formula's answer with a simulation.",
        "fi": "**Tehtävä.** Kaksinkertaista käsittelyaika 24 minuuttiin. Montako yhdyshenkilöä pitää "
              "keskimääräisen jonotuksen alle 2 minuutissa? Tarkista kaavan vastaus simuloinnilla.",
    },
    "04.question": {
        "en": "**Question.** What happens if we change staff or inflow, and what is the smallest staff that "
              "meets our targets?",
        "fi": "**Kysymys.** Mitä tapahtuu, jos henkilöstö tai tulovirta muuttuu, ja mikä on pienin "
              "henkilöstö, joka täyttää tavoitteemme?",
    },
    "04.notice": {
        "en": "**What to notice.** The base and the variant see the same clients (same seed), so the "
              "paired interval of the change is much narrower than the two separate intervals. A change "
              "whose interval crosses zero is not distinguishable from noise with these replications.",
        "fi": "**Huomaa.** Perustilanne ja vaihtoehto näkevät samat asiakkaat (sama siemenluku), joten "
              "muutoksen parittainen luottamusväli on paljon kapeampi kuin kaksi erillistä väliä. Jos "
              "muutoksen väli sisältää nollan, sitä ei näillä toistoilla erota satunnaisvaihtelusta.",
    },
    "04.exercise": {
        "en": "**Exercise.** Inflow grows by 20%. How many coaches keep the mean caseload at or under 120? "
              "Export the comparison and add it to your plan.",
        "fi": "**Tehtävä.** Tulovirta kasvaa 20 %. Montako omavalmentajaa pitää keskimääräisen "
              "asiakasmäärän enintään 120:ssa? Vie vertailu tiedostoon ja liitä se suunnitelmaasi.",
    },
    "05.question": {
        "en": "**Question.** How do I make my own scenario without breaking the file or losing its "
              "source comments?",
        "fi": "**Kysymys.** Miten teen oman skenaarion rikkomatta tiedostoa tai hukkaamatta sen "
              "lähdekommentteja?",
    },
    "05.notice": {
        "en": "**What to notice.** Each field shows its unit and allowed range; a wrong value gives a "
              "message naming the key, the value and what is allowed. The saved file keeps every comment "
              "and source reference of the original, and only the values you changed differ.",
        "fi": "**Huomaa.** Jokainen kenttä näyttää yksikkönsä ja sallitun välin; virheellinen arvo antaa "
              "viestin, joka kertoo avaimen, arvon ja sen, mikä on sallittua. Tallennettu tiedosto säilyttää "
              "alkuperäisen kommentit ja lähdeviitteet, ja vain muuttamasi arvot eroavat.",
    },
    "05.exercise": {
        "en": "**Exercise.** Make a scenario for the Nordic model with 24 coaches, save it under "
              "`my-scenarios/`, and run it in notebook 04.",
        "fi": "**Tehtävä.** Tee skenaario pohjoismaiselle mallille 24 omavalmentajalla, tallenna se "
              "kansioon `my-scenarios/` ja aja se muistiossa 04.",
    },
}


def lesson_text(key: str, language: str | None = None) -> str:
    entry = LESSONS[key]
    return entry.get(language or get_language()) or entry["en"]
