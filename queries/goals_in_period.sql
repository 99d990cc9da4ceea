-- goals_in_period: the goals of the selection whose strategy applies at some time in the
-- selected years (goals_applying in queries/macros/selection.sql): the Goals page's matrix
-- columns and gaps, and the goals an assessment can be written for in a year. The goal filter
-- offers every goal (goal_options); a goal of a strategy that ended is no gap after it.
-- params: org, year_from, year_to, goal
-- columns: org_id, strategy_id, goal_id, code, title, kind
select g.org_id, g.strategy_id, g.goal_id, g.code, g.title, g.kind
from goals_applying($org, $year_from, $year_to, $goal) g
order by
    g.org_id,
    g.strategy_id,
    goal_rank(g.kind),
    length(g.code),
    g.code
