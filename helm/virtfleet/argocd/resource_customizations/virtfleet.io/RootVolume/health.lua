-- Argo CD health of VirtFleet's VirtualMachine and RootVolume (virtfleet.io/v1alpha1), read from status.conditions.
-- Degraded: a deletion that cannot finish (DeletionBlocked=True: the node gone, the volume in use), the node
-- unreachable, phase Failed for the current generation, or unscheduled for over 10 minutes;
-- Suspended: a VM stopped or paused on purpose (runStrategy Halted, Paused or Manual, phase Stopped or Paused;
-- Ready=False there, since Ready means running); Healthy: Ready=True for the current
-- generation; anything else (an older generation's status included) is Progressing with the operator's words.
-- Laid out as Argo CD's resource_customizations/<group>/<kind>/ (health.lua, health_test.yaml, testdata/).
local hs = { status = "Progressing", message = "Waiting for the VirtFleet operator to report status" }

local function findCondition(conditions, conditionType)
  if conditions == nil then
    return nil
  end
  for _, condition in ipairs(conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function describe(condition, fallback)
  if condition == nil or condition.message == nil or condition.message == "" then
    return fallback
  end
  if condition.reason ~= nil and condition.reason ~= "" then
    return condition.reason .. ": " .. condition.message
  end
  return condition.message
end

-- Seconds a VM or volume may stay unscheduled (condition Scheduled=False) before it reads Degraded.
local UNSCHEDULABLE_SECONDS = 600

-- Seconds since an RFC 3339 UTC time ("2026-11-30T10:00:00Z"); nil when it cannot tell (no os library, bad text).
-- The date is turned into epoch seconds by arithmetic (days from the civil date), so the host's time zone is moot.
local function secondsSince(timestamp)
  if timestamp == nil or os == nil or os.time == nil then
    return nil
  end
  local y, m, d, h, mi, s = string.match(timestamp, "^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)")
  if y == nil then
    return nil
  end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then
    y = y - 1
  end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  local days = era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
  return os.time() - (days * 86400 + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s))
end

local status = obj.status
if status == nil then
  return hs
end
local generation = obj.metadata.generation
local ready = findCondition(status.conditions, "Ready")
local phase = status.phase or "Pending"

-- A deletion that waits for a person (the node is gone, or something still uses the volume) says so first.
local blocked = findCondition(status.conditions, "DeletionBlocked")
if blocked ~= nil and blocked.status == "True" then
  hs.status = "Degraded"
  hs.message = "Deletion blocked: " .. describe(blocked, "the node cannot remove what the object holds")
  return hs
end

local unreachable = findCondition(status.conditions, "NodeUnreachable")
if unreachable ~= nil and unreachable.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(unreachable, "The node's agent does not answer")
  return hs
end

-- Status written for an older spec says nothing about the current one, not even a failure: a user who fixed the
-- spec sees Progressing until the operator has looked at the new generation.
local observed = status.observedGeneration
if ready ~= nil and ready.observedGeneration ~= nil then
  observed = ready.observedGeneration
end
if generation ~= nil and observed ~= nil and observed < generation then
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

if phase == "Failed" then
  hs.status = "Degraded"
  hs.message = describe(ready, "Failed")
  return hs
end

-- Not placed on any node for longer than UNSCHEDULABLE_SECONDS: Degraded with the scheduler's reason (no room,
-- no matching node, ...). Shorter waits stay Progressing: a node may just be starting.
local scheduled = findCondition(status.conditions, "Scheduled")
if scheduled ~= nil and scheduled.status == "False" and secondsSince(scheduled.lastTransitionTime) ~= nil
    and secondsSince(scheduled.lastTransitionTime) > UNSCHEDULABLE_SECONDS then
  hs.status = "Degraded"
  hs.message = "Unschedulable for more than " .. (UNSCHEDULABLE_SECONDS / 60) .. " minutes: "
      .. describe(scheduled, "no node")
  return hs
end

-- A VM settled on purpose in the phase its runStrategy (or, for Manual, a person) chose: by phase, then strategy.
local SUSPENDED = {
  Stopped = {
    Halted = "Halted: the VM is stopped as spec.runStrategy asks",
    Manual = "Manual: the VM is stopped; with spec.runStrategy Manual a person starts it",
  },
  Paused = {
    Paused = "Paused: the VM is paused as spec.runStrategy asks",
    Manual = "Manual: the VM is paused; with spec.runStrategy Manual a person resumes it",
  },
}
if obj.kind == "VirtualMachine" and obj.spec ~= nil and SUSPENDED[phase] ~= nil
    and SUSPENDED[phase][obj.spec.runStrategy] ~= nil then
  hs.status = "Suspended"
  hs.message = SUSPENDED[phase][obj.spec.runStrategy]
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, phase)
  return hs
end

hs.message = phase .. ": " .. describe(ready, "waiting for the operator")
return hs
