-- goal_options: the goals of the selected organisations' strategies, offered by the goal filter.
-- params: org
-- columns: org_id, strategy_id, goal_id, code, title, kind
select g.org_id, g.strategy_id, g.goal_id, g.code, g.title, g.kind
from goals g
where $org is null or g.org_id = any($org)
order by
    g.org_id,
    g.strategy_id,
    goal_rank(g.kind),
    length(g.code),
    g.code
