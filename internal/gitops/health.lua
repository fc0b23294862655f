-- Argo CD health of an ACK resource, from its status conditions (written by
-- render, internal/gitops/health.lua; README "Using with Flux / Argo CD").
--   ACK.Terminal=True                 Degraded: the controller will not retry
--                                     until the spec changes
--   ACK.ResourceSynced=True           Healthy
--   ACK.Recoverable=True              Progressing: a transient AWS error the
--                                     controller retries; its message shows
--   ACK.ReferencesResolved not True   Progressing: a referenced object is
--                                     missing or not synced yet
--   anything else, no status yet      Progressing
local hs = { status = "Progressing", message = "waiting for the ACK controller to reconcile" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local conditions = {}
for _, c in ipairs(obj.status.conditions) do
  if c.type ~= nil then
    conditions[c.type] = c
  end
end
local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return c.type .. ": " .. c.message
  end
  if c.reason ~= nil and c.reason ~= "" then
    return c.type .. ": " .. c.reason
  end
  return c.type .. "=" .. tostring(c.status)
end
local terminal = conditions["ACK.Terminal"]
if terminal ~= nil and terminal.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(terminal)
  return hs
end
local synced = conditions["ACK.ResourceSynced"]
if synced ~= nil and synced.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(synced)
  return hs
end
local recoverable = conditions["ACK.Recoverable"]
if recoverable ~= nil and recoverable.status == "True" then
  hs.message = describe(recoverable)
  return hs
end
local refs = conditions["ACK.ReferencesResolved"]
if refs ~= nil and refs.status ~= "True" then
  hs.message = describe(refs)
  return hs
end
if synced ~= nil then
  hs.message = describe(synced)
end
return hs
