-- rounds: the yearly rounds of the selected organisations, newest year first: the year, its
-- deadline, open or closed, the snapshot it was closed on, and who changed it last when.
-- params: org
-- columns: org_id, year, due, state, closed_snapshot, changed_by, changed_at
select org_id, year, due, state, closed_snapshot, changed_by, changed_at
from rounds
where $org is null or org_id = any($org)
order by org_id, year desc
