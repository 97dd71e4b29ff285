-- A resumable client's record as it is now, with the server clock (so the caller can tell its age).
-- KEYS[1] the client's record (hash)
-- Returns {'' (no owner asked), released, at, now, channel, number, ...} (see resume_record_reply in lib.lua)
return resume_record_reply(KEYS[1], {''})
