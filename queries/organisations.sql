-- organisations: every organisation of the dataset, for the organisation filter and the map.
-- params: none
-- columns: org_id, name, kind, country, lat, lon, source
select org_id, name, kind, country, lat, lon, source
from organisations
order by name
