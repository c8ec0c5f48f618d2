-- Argo CD health of VirtFleet's VirtualMachine and RootVolume (virtfleet.io/v1alpha1), read from status.conditions.
-- Degraded: phase Failed or the node unreachable; Suspended: a VM halted on purpose (runStrategy Halted, phase
-- Stopped); Healthy: Ready=True for the current generation; anything else is Progressing with the operator's words.
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

local status = obj.status
if status == nil then
  return hs
end
local generation = obj.metadata.generation
local ready = findCondition(status.conditions, "Ready")
local phase = status.phase or "Pending"

if phase == "Failed" then
  hs.status = "Degraded"
  hs.message = describe(ready, "Failed")
  return hs
end

local unreachable = findCondition(status.conditions, "NodeUnreachable")
if unreachable ~= nil and unreachable.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(unreachable, "The node's agent does not answer")
  return hs
end

-- Status written for an older spec says nothing about the current one.
local observed = status.observedGeneration
if ready ~= nil and ready.observedGeneration ~= nil then
  observed = ready.observedGeneration
end
if generation ~= nil and observed ~= nil and observed ~= generation then
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

if obj.kind == "VirtualMachine" and obj.spec ~= nil and obj.spec.runStrategy == "Halted" and phase == "Stopped" then
  hs.status = "Suspended"
  hs.message = "Halted: the VM is stopped as spec.runStrategy asks"
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, phase)
  return hs
end

hs.message = phase .. ": " .. describe(ready, "waiting for the operator")
return hs
