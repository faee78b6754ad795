"""Views for people: the run summary by area (:mod:`.summary`), progress bars (:mod:`.progress`)
and the planner's reports in HTML and Excel (:mod:`.report`)."""
