-- wrk script: each request asks for a random line of the file named by $PATHS (one path per line).
-- Used for the random workloads (W6 long tail, W7 speakers, W8 mixed), for the API and Datasette alike.
local paths = {}

function init(args)
   for line in io.lines(os.getenv("PATHS")) do
      if #line > 0 then paths[#paths + 1] = line end
   end
   math.randomseed(os.time() + tonumber(tostring(paths):sub(8), 16) % 100000)
end

function request()
   return wrk.format(nil, paths[math.random(#paths)])
end
