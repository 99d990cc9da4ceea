-- evaluation_last_year: the last year with something to assess for the selected
-- organisations (the rule of the evaluation_year macro in queries/macros/selection.sql:
-- indicator values, assessments, activities; never a project's end date). The Annual
-- evaluation opens on it when no year is chosen, and `python -m dashboard report` without
-- --year takes it too.
-- params: org
-- columns: year
select evaluation_year($org, null) as year
