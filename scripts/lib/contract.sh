# shellcheck shell=bash
# Contract fuzzing of the REST API (issue 13): openapi-spec-validator checks that
# `/api/v1/openapi.json` is a valid OpenAPI 3.1 document, then schemathesis generates
# requests from it — valid and invalid ones — and sends them to a real
# `hotro serve` on a free loopback port over a fresh data directory, as an admin with an API
# token. Every answer must be one the document describes: no 5xx, no undocumented status,
# content type or body. A failure names the operation and prints a curl line to replay it.

SCHEMATHESIS_VERSION=4.32.5
SPEC_VALIDATOR_VERSION=0.9.0
# Outside the temp dir so that later runs reuse it; one directory per version, so bumping
# the pin installs afresh instead of upgrading in place.
SCHEMATHESIS_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/hotro-schemathesis-$SCHEMATHESIS_VERSION-$SPEC_VALIDATOR_VERSION"
# Test cases per operation and phase: about 1,600 requests over 22 operations, under half
# a minute on 2 cores. Raise it locally to dig deeper (HOTRO_FUZZ_EXAMPLES=200).
CONTRACT_EXAMPLES="${HOTRO_FUZZ_EXAMPLES:-25}"
CONTRACT_PID=""
CONTRACT_BASE=""

ensure_schemathesis() {
    # The marker is written last, so a half-finished install is redone rather than trusted.
    if [ -f "$SCHEMATHESIS_VENV/.installed" ]; then return 0; fi
    command -v python3 >/dev/null 2>&1 || apt_install python3
    python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
    log "installing schemathesis $SCHEMATHESIS_VERSION and openapi-spec-validator" \
        "$SPEC_VALIDATOR_VERSION (PyPI, into $SCHEMATHESIS_VENV)"
    rm -rf "$SCHEMATHESIS_VENV"
    python3 -m venv "$SCHEMATHESIS_VENV" || die "could not create a Python venv"
    "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" \
        "openapi-spec-validator==$SPEC_VALIDATOR_VERSION" ||
        die "schemathesis could not be installed"
    touch "$SCHEMATHESIS_VENV/.installed"
}

stop_contract_server() {
    if [ -n "$CONTRACT_PID" ]; then
        kill "$CONTRACT_PID" 2>/dev/null || true
        wait "$CONTRACT_PID" 2>/dev/null || true
        CONTRACT_PID=""
    fi
}

# start_contract_server BIN DIR: serves DIR on a free loopback port; sets CONTRACT_BASE.
start_contract_server() {
    local bin=$1 dir=$2 port attempt
    for attempt in 1 2 3; do
        port=$(free_port)
        # The limit on public submissions is off: the fuzzer files far more than 30 a minute
        # from one address, and a 429 there would only hide the answers under test.
        HOTRO_LOG=warn "$bin" serve --data "$dir/data" --listen "127.0.0.1:$port" \
            --public-rate-limit 0 >"$dir/serve.out" 2>"$dir/serve.err" &
        CONTRACT_PID=$!
        local _
        for _ in $(seq 1 100); do
            if grep -q '^hotro: listening on' "$dir/serve.out" 2>/dev/null; then
                CONTRACT_BASE="http://127.0.0.1:$port"
                return 0
            fi
            kill -0 "$CONTRACT_PID" 2>/dev/null || break
            sleep 0.1
        done
        log "hotro serve did not start on port $port (attempt $attempt)"
        stop_contract_server
    done
    cat "$dir/serve.err" >&2
    return 1
}

# write_contract_config BASE TOKEN POLICY FILE: files a few tickets (public and staff, one
# with a question to another department) and writes a schemathesis config that uses their
# codes and tracking secret for most generated paths, and the policy's departments, topics
# and greeting and some plain words for some generated fields: random codes only ever meet
# the 404 and random text the rules' 422, and the commands' own answers would go untested.
write_contract_config() {
    "$SCHEMATHESIS_VENV/bin/python" - "$@" <<'PY'
import json, sys, tomllib, urllib.request

base, token, policy_file, out = sys.argv[1:5]
with open(policy_file, "rb") as f:
    policy = tomllib.load(f)
departments = [d["id"] for d in policy["departments"]]
topics = [t["id"] for d in policy["departments"] for t in d.get("topics", [])]
reply = policy["reply"]
# A reply that keeps RP-2 on any channel: the greeting first, the closing last.
texts = [f"{reply['greeting']},\nChúng tôi đã ghi nhận yêu cầu.\n{reply['closing']}"]

def post(path, body, auth=True):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    if auth:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.load(r)

customer = {"name": "Nguyễn Văn An", "email": "an@example.vn", "phone": "0903 123 456"}
public = post("/api/v1/public/tickets", {
    "kind": "request", "customer": customer, "subject": "Hỏi về hoá đơn",
    "description": "Tôi cần bản sao hoá đơn tháng 10."}, auth=False)
codes = [public["code"]]
for kind, extra in [("complaint", {"incident_date": "2026-01-10",
                                   "complaint_category": "service_quality"}),
                    ("request", {})]:
    t = post("/api/v1/tickets", {"kind": kind, "channel": "phone", "customer": customer,
                                 "subject": "Mất kết nối", "description": "Mạng chập chờn.",
                                 **extra})
    codes.append(t["code"])
post(f"/api/v1/tickets/{codes[1]}/consultations",
     {"department": "sales", "question": "Khách có hợp đồng không?"})
toml = lambda values: "[" + ", ".join(json.dumps(v) for v in values) + "]"
with open(out, "w") as f:
    f.write(f"""[dictionaries.codes]
values = {toml(codes)}

[dictionaries.secrets]
values = {toml([public["tracking_secret"]])}

[dictionaries.departments]
values = {toml(departments)}

[dictionaries.topics]
values = {toml(topics)}

[dictionaries.texts]
values = {toml(texts)}

# The lookup by code and contact (TR-2) reaches its 200 only with a filed code and its
# customer's e-mail or phone, in any case and spacing.
[dictionaries.contacts]
values = ["AN@example.vn", "0903-123-456", "binh@example.vn"]

[dictionaries.words]
values = ["Khách yêu cầu", "Theo hợp đồng số 12", "Customer asked"]

[parameters]
"path.code" = {{ dictionary = "codes", probability = 0.8 }}
"query.secret" = {{ dictionary = "secrets", probability = 0.8 }}
"body.code" = {{ dictionary = "codes", probability = 0.8 }}
"body.contact" = {{ dictionary = "contacts", probability = 0.8 }}
"body.department" = {{ dictionary = "departments", probability = 0.5 }}
"body.topic" = {{ dictionary = "topics", probability = 0.5 }}
"body.body" = {{ dictionary = "texts", probability = 0.5 }}
"body.reason" = {{ dictionary = "words", probability = 0.5 }}
"body.question" = {{ dictionary = "words", probability = 0.5 }}
"body.answer" = {{ dictionary = "words", probability = 0.5 }}
""")
PY
}

# run_contract_fuzz: builds the binary if needed, runs the fuzzer, stops the server.
run_contract_fuzz() {
    local bin="$CARGO_TARGET_DIR/debug/hotro" dir base token rc=0
    if [ ! -x "$bin" ]; then
        log "building the hotro binary for the contract fuzzer"
        cargo build -q -p hotro-cli || return $?
    fi
    dir=$(mktemp -d "${TEST_TMP:-${TMPDIR:-/tmp}}/contract.XXXXXX")
    "$bin" migrate --data "$dir/data" >/dev/null || return $?
    printf 'mật-khẩu-kiểm-thử\n' | "$bin" user add --data "$dir/data" \
        --email fuzz@example.vn --name "Kiểm thử hợp đồng" --department customer \
        --role admin --password-stdin >/dev/null || return $?
    token=$("$bin" token create --data "$dir/data" --email fuzz@example.vn) || return $?
    start_contract_server "$bin" "$dir" || return 1
    base=$CONTRACT_BASE
    log "openapi-spec-validator $base/api/v1/openapi.json"
    "$SCHEMATHESIS_VENV/bin/python" -c 'import sys, urllib.request
sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())' \
        "$base/api/v1/openapi.json" >"$dir/openapi.json" &&
        "$SCHEMATHESIS_VENV/bin/openapi-spec-validator" --validation-errors all \
            "$dir/openapi.json" || rc=$?
    "$bin" policy show >"$dir/policy.toml" &&
        write_contract_config "$base" "$token" "$dir/policy.toml" "$dir/schemathesis.toml" ||
        rc=$?
    log "contract fuzz: schemathesis $SCHEMATHESIS_VERSION against $base" \
        "($CONTRACT_EXAMPLES examples per operation)"
    # A fixed seed makes a failure reproducible from the log; the checks are the ones the
    # document can answer for (not `positive_data_acceptance`: a valid-looking body may still
    # break a rule of the policy, which is a documented 422). One worker: with two threads,
    # Hypothesis's parsing of lambdas hit CPython 3.11's AST recursion-depth bug
    # (gh-106905) and the server has only the other core anyway. Raw mail
    # (`message/rfc822`) is left out: schemathesis cannot build such a body, and the mail
    # parser has its own fuzz targets (crates/mail/fuzz). Revoking a token is left out too:
    # a generated id may name the fuzzer's own token, and every later call would then be a
    # (documented) 401 that tests nothing; crates/server/tests/credentials.rs covers it.
    # Run from the temp dir, with no example database, so that nothing lands in the clone.
    (cd "$dir" && "$SCHEMATHESIS_VENV/bin/schemathesis" --no-color \
        --config-file "$dir/schemathesis.toml" run "$base/api/v1/openapi.json" \
        --url "$base" \
        --header "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --max-examples "$CONTRACT_EXAMPLES" \
        --seed "${HOTRO_FUZZ_SEED:-13}" \
        --workers 1 \
        --exclude-path /api/v1/mail/inbound \
        --exclude-path '/api/v1/tokens/{id}' \
        --request-timeout 10 \
        --generation-database none) || rc=$?
    stop_contract_server
    if [ "$rc" -ne 0 ]; then
        log "contract fuzz failed; the server's log:"
        tail -n 50 "$dir/serve.err" >&2
    fi
    return "$rc"
}
