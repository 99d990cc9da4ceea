-- round_events: every step of the selected organisations' rounds of $year, newest first:
-- who opened, marked ready, returned (with the comment), approved, closed or reopened (with
-- the reason) which part, and when.
-- params: org, year
-- columns: org_id, year, part, event, who, time, comment
select org_id, year, part, event, who, "time", comment
from round_events
where year = $year and ($org is null or org_id = any($org))
order by org_id, seq desc
