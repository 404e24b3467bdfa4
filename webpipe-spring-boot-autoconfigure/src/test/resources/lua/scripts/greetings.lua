-- A preloaded script: its return value is the global `greetings` of every lua step.
local greetings = {}

function greetings.hello(name)
  return "Hello, " .. name .. "!"
end

return greetings
