"""The exercises' solutions as code, one per notebook (its explanation is the catalog's ``lesson.<nb>.solution``).

The notebooks' "Your turn" cells start with a scaffold; ``ui.solution("03")`` shows the
explanation and this code behind a button, and ``docs/trainer-guide.md`` is the answer key.
Each uses the names the notebook's earlier cells define (``scenario``, ``SEED``, ...).
"""

SOLUTIONS = {
    "00": """
more_coaches = ui.run(scenario, replications=8, seed=SEED, overrides=ui.lever_overrides(scenario, coaches=25))
print(ui.key_results(more_coaches, ["clients.active_pilot", "coach.caseload_mean", "te.caseload_mean",
                                    "coach.first_meeting_on_time_share", "kela.questions_per_day"]))
""",
    "01": """
print(ui.classify_client(kela_benefit=False).text())   # 35, Finnish, earnings-related allowance
fewer_kela = ui.run(scenario, replications=10, seed=SEED, overrides={"clients.kela_benefit": 0.4})
print(ui.key_results(fewer_kela, ["clients.share_pilot", "coach.caseload_mean", "te.caseload_mean"]))
""",
    "02": """
short = ui.load("seinajoki-ilmajoki-2021", {**ui.FIRST_YEAR, "rules.meetings": "nordic-2022", "meeting.minutes": 30})
search = ui.smallest_staff(short, targets=["coach.first_meeting_on_time_share>=0.9"], low=14, high=40,
                           replications=5, seed=SEED)
print(search.text())
""",
    "03": """
slow = ui.load("seinajoki-ilmajoki-2021", {"scenario.days": 365, "kela.handle_minutes": 24})
rate = ui.kela_point(slow, 1.0, 1, replications=3, seed=SEED)["questions_per_day"]
needed = ui.contact_persons_needed(rate, handle_minutes=24, target_wait_minutes=2)
check = ui.kela_point(slow, 1.0, needed, replications=3, seed=SEED)
print(f"{rate:.0f} questions a day: Erlang C says {needed}; simulated wait {check['mean']:.2f} min "
      f"[{check['ci_low']:.2f}, {check['ci_high']:.2f}], formula {check['erlang_c']:.2f} min")
""",
    "04": """
busier = ui.load("seinajoki-ilmajoki-2021", {**ui.FIRST_YEAR, **ui.lever_overrides(first_year, inflow_change_percent=20)})
search = ui.smallest_staff(busier, targets=["coach.caseload_mean<=120"], low=15, high=40, replications=5, seed=SEED)
print(search.text())
more = ui.compare_with_base(busier, ui.lever_overrides(busier, coaches=search.smallest), replications=5, seed=SEED)
print(ui.export_comparison(more, "exports", "inflow-plus-20", overwrite=True))
""",
    "05": """
form = ui.ScenarioForm(ui.scenario_path("seinajoki-ilmajoki-2021"))
form.set("rules.meetings", "nordic-2022")
form.set("coaches.count", 24)
print(form.validate())                      # [] : no problems
saved = form.save_as("my-scenarios/nordic-24.toml", overwrite=True)
mine = ui.run(ui.load(str(saved)), replications=5, seed=SEED)
print(ui.key_results(mine, ["coach.caseload_mean", "coach.first_meeting_on_time_share"]))
# In notebook 04: ui.Workbench("my-scenarios/nordic-24.toml", replications=5, seed=SEED).show()
""",
    "06": """
understaffed = ui.load("understaffed-coach-team")
levers = {"20 coaches": {"coaches.count": 20}, "cap 220": {"coaches.caseload_cap": 220}}
for name, overrides in levers.items():
    runs = ui.run(understaffed, replications=5, seed=SEED, overrides=overrides)
    print(name)
    print(ui.key_results(runs, ["clients.waiting_for_coach", "coach.first_meeting_working_days",
                                "coach.caseload_mean", "coach.hours_per_client_month"]))
""",
}
