# shellcheck shell=bash disable=SC2015,SC2016
# (SC2015: pass/fail never fail; SC2016: the single-quoted scripts are for the containers' sh.)
# The multi-node checks of `second-node.sh check`; sourced by second-node.sh after `up`, not run.
# Each check prints what it measured; the last line counts the checks that failed (exit 1 if any).
# Services it creates are named slmn-*; it removes them first, so it can be rerun (the network stays).
# busybox wget -T (its own timeout) segfaults in this static build: `timeout 3 wget` instead.
N=${SLIPWAY_MULTINODE_REQUESTS:-20} # requests per measurement
M=5                                  # requests to the IPVS probes (each failure can take 3 s)
failed=0
pass() { info "PASS $*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; failed=$((failed + 1)); }
on_a() { dk a "$@"; }

engine_ok a && engine_ok b || die "the two engines are not running: $0 up first"
for s in slmn-caddy slmn-app slmn-build slmn-built slmn-vip; do on_a service rm "$s" >/dev/null 2>&1 || true; done

step "overlay network slmn-app and an app with 2 replicas, one per node (dnsrr)"
on_a network inspect slmn-app >/dev/null 2>&1 || on_a network create -d overlay --attachable slmn-app >/dev/null
t0=$SECONDS
on_a service create -q -d --name slmn-app --network slmn-app --endpoint-mode dnsrr --replicas 2 --replicas-max-per-node 1 \
  --env 'NODE={{.Node.Hostname}}' --env 'SLOT={{.Task.Slot}}' "$TOOLS" \
  sh -c 'mkdir -p /www && echo "task $SLOT on $NODE" >/www/index.html && exec httpd -f -p 80 -h /www' >/dev/null
if wait_until "2 tasks of slmn-app to run" 60 bash -c "[[ \$(docker -H unix://$(sock a) service ps slmn-app --filter desired-state=running --format '{{.CurrentState}}' | grep -c Running) == 2 ]]"; then
  nodes=$(on_a service ps slmn-app --filter desired-state=running --format '{{.Node}}' | sort | tr '\n' ' ')
  [[ $nodes == "slmn-a slmn-b " ]] && pass "2 tasks running in $((SECONDS - t0))s, on: $nodes" || fail "tasks are on: $nodes"
else
  fail "slmn-app: $(on_a service ps slmn-app --no-trunc --format '{{.Node}} {{.CurrentState}} {{.Error}}' | head -4)"
fi

# task_ips: node and overlay address of each running task (from the manager's task objects)
task_ips() {
  local t
  for t in $(on_a service ps -q --filter desired-state=running slmn-app); do
    on_a inspect "$t" --format '{{.NodeID}} {{range .NetworksAttachments}}{{if eq .Network.Spec.Name "slmn-app"}}{{index .Addresses 0}}{{end}}{{end}}'
  done
}

step "a container on node a requests each task's address over the overlay ($N each)"
ips=$(task_ips | awk '{sub("/.*", "", $2); print $2}' | tr '\n' ' ')
info "task addresses: $ips"
out=$(on_a run --rm --network slmn-app "$TOOLS" sh -c '
  for ip in '"$ips"'; do ok=0; bad=0; body=""
    for i in $(seq '"$N"'); do if b=$(timeout 3 wget -q -O- "http://$ip/"); then ok=$((ok+1)); body=$b; else bad=$((bad+1)); fi; done
    echo "$ip ok=$ok failed=$bad: $body"
  done
  echo "dns tasks.slmn-app: $(nslookup tasks.slmn-app 2>/dev/null | grep -c "^Address: ")"' 2>&1) || true
printf '    %s\n' "$out" >&2
grep -q "on slmn-b" <<<"$out" && grep -q "on slmn-a" <<<"$out" && ! grep -q "failed=[1-9]" <<<"$out" &&
  pass "node a reached both tasks, the one on node b through vxlan" || fail "overlay requests: $out"

step "Caddy on node a (host-mode port 8080 on $(addr a)) proxies to tasks.slmn-app"
on_a service create -q -d --name slmn-caddy --network slmn-app --constraint node.hostname==slmn-a \
  --publish mode=host,published=8080,target=8080 --env XDG_CONFIG_HOME=/tmp --env XDG_DATA_HOME=/tmp "$TOOLS" \
  sh -c 'printf ":8080 {\n\treverse_proxy {\n\t\tdynamic a {\n\t\t\tname tasks.slmn-app\n\t\t\tport 80\n\t\t\trefresh 1s\n\t\t}\n\t\tlb_policy round_robin\n\t}\n}\n" >/tmp/Caddyfile &&
    exec caddy run --adapter caddyfile --config /tmp/Caddyfile' >/dev/null
caddy_get() { nsenter --net=/run/netns/slmn-a timeout 3 busybox wget -q -O- "http://$(addr a):8080/" 2>/dev/null; }
if wait_until "Caddy to answer" 60 caddy_get; then
  ok=0 bad=0 seen=""
  for ((i = 0; i < N; i++)); do
    if b=$(caddy_get); then ok=$((ok + 1)); seen+="$b"$'\n'; else bad=$((bad + 1)); fi
  done
  info "$ok ok, $bad failed; answered by: $(grep . <<<"$seen" | sort | uniq -c | awk '{$1=$1 "x"; print}' | paste -sd ';')"
  grep -q "on slmn-a" <<<"$seen" && grep -q "on slmn-b" <<<"$seen" && ((bad == 0)) &&
    pass "Caddy reached the tasks on both nodes" || fail "Caddy: $ok ok, $bad failed, seen: $seen"
else
  fail "Caddy did not answer: $(on_a service ps slmn-caddy --no-trunc --format '{{.CurrentState}} {{.Error}}' | head -2)"
fi

step "a build pinned to the node labelled slipway.build=true, pushed to the registry on $REG"
t0=$SECONDS
BUILT=$REG/slmn/built:$(date +%s) # a new tag each run: node a must pull it, not find it
on_a service create -q -d --name slmn-build --mode replicated-job --constraint node.labels.slipway.build==true \
  --mount "type=bind,source=$(sock b),target=/var/run/docker.sock" --env 'NODE={{.Node.Hostname}}' "$TOOLS" \
  sh -c 'printf "FROM '"$TOOLS"'\nARG NODE\nRUN mkdir -p /www && echo \"built on \$NODE\" >/www/index.html\n" |
    docker build -q --build-arg NODE=$NODE -t '"$BUILT"' - && docker push -q '"$BUILT"'' >/dev/null
# The socket mounted is node b's: on this machine both nodes share one filesystem. On real nodes
# it is /var/run/docker.sock of whichever node the job lands on.
job_done() { on_a service ps slmn-build --format '{{.CurrentState}}' | grep -Eq '^(Complete|Failed|Rejected)'; }
wait_until "the build job" 120 job_done || true
state=$(on_a service ps slmn-build --no-trunc --format '{{.Node}} {{.CurrentState}} {{.Error}}' | head -1)
[[ $state == "slmn-b Complete"* ]] && pass "build job ran on slmn-b and completed in $((SECONDS - t0))s" || fail "build job: $state"

step "the built image runs on node a, pulled from the registry over the veth"
on_a service create -q -d --name slmn-built --constraint node.hostname==slmn-a --network slmn-app --endpoint-mode dnsrr "$BUILT" \
  httpd -f -p 80 -h /www >/dev/null
if wait_until "slmn-built to run" 60 bash -c "docker -H unix://$(sock a) service ps slmn-built --format '{{.CurrentState}}' | grep -q Running"; then
  body=$(on_a run --rm --network slmn-app "$TOOLS" timeout 3 wget -q -O- http://slmn-built/ 2>&1) || true
  [[ $body == "built on slmn-b" ]] && pass "node a pulled the image built on b and serves: $body" || fail "slmn-built answered: $body"
else
  fail "slmn-built: $(on_a service ps slmn-built --no-trunc --format '{{.CurrentState}} {{.Error}}' | head -2)"
fi

step "for the record (Slipway does not use them): a VIP service and an ingress-published port (IPVS)"
on_a service create -q -d --name slmn-vip --network slmn-app --replicas 2 --replicas-max-per-node 1 \
  --publish published=8081,target=80 --env 'NODE={{.Node.Hostname}}' "$TOOLS" \
  sh -c 'mkdir -p /www && echo "vip task on $NODE" >/www/index.html && exec httpd -f -p 80 -h /www' >/dev/null
if wait_until "slmn-vip to run" 60 bash -c "[[ \$(docker -H unix://$(sock a) service ps slmn-vip --filter desired-state=running --format '{{.CurrentState}}' | grep -c Running) == 2 ]]"; then
  out=$(on_a run --rm --network slmn-app "$TOOLS" sh -c 'ok=0; bad=0; err=""; for i in $(seq '"$M"'); do
    if e=$(timeout 3 wget -q -O /dev/null http://slmn-vip/ 2>&1); then ok=$((ok+1)); else bad=$((bad+1)); err=${e:-timed out after 3s}; fi
    done; echo "ok=$ok failed=$bad${err:+ (last error: $err)}"' 2>/dev/null) || true
  info "VIP (service name -> virtual IP, balanced by IPVS): $out"
  ok=0 bad=0 err=""
  for ((i = 0; i < M; i++)); do
    if e=$(nsenter --net=/run/netns/slmn-b timeout 3 busybox wget -q -O /dev/null "http://$(addr b):8081/" 2>&1); then
      ok=$((ok + 1))
    else bad=$((bad + 1)) err=${e:-timed out after 3s}; fi
  done
  info "ingress port 8081 on $(addr b) (routing mesh, IPVS): ok=$ok failed=$bad${err:+ (last error: $err)}"
else
  info "slmn-vip did not run: $(on_a service ps slmn-vip --no-trunc --format '{{.CurrentState}} {{.Error}}' | head -2)"
fi

for s in slmn-caddy slmn-app slmn-build slmn-built slmn-vip; do on_a service rm "$s" >/dev/null 2>&1 || true; done
((failed == 0)) && step "all multi-node checks passed" || die "$failed multi-node check(s) failed"
