// withTeleport: short-lived Teleport credentials for one block of a Jenkins Pipeline.
//
//   withTeleport(proxy: 'teleport.example.com:443', token: 'jenkins-bot',
//                joinMethod: 'bound_keypair', kind: 'auth-ssh') {
//     sh 'ssh -F "$TELEPORT_SSH_CONFIG" ci@node.teleport.example.com uptime'
//   }
//
// Thin on purpose: the teleport-ci CLI does the work (install tbot, join, write credentials,
// start tunnels). This step only
//   1. makes a private folder for this block under the build's temp dir,
//   2. finds teleport-ci with the library's resource teleport/find-teleport-ci.sh (the same POSIX
//      sh every wrapper runs): cliPath (or $TELEPORT_CI_BIN), teleport-ci on PATH, the pinned npm
//      package when Node.js 20+ is there, else the standalone executable, downloaded and checked
//      against the SHA-256 the release wrote into that file,
//   3. runs `teleport-ci setup` and `teleport-ci <kind>` there with `--print-env`,
//   4. runs the body inside withEnv() with the variables the CLI printed, so they exist only
//      inside the block,
//   5. in `finally`, runs `teleport-ci cleanup` (stops tunnels) and deletes the folder, even
//      when the body fails.
// Every value reaches the shell single-quoted (quote()), never interpolated.

/** Options and the CLI flag each one becomes (on `teleport-ci <kind>`). */
@NonCPS
Map<String, String> kindFlags() {
  return [
    proxy            : 'proxy',
    joinMethod       : 'join-method',
    roles            : 'roles',
    certificateTtl   : 'certificate-ttl',
    caPins           : 'ca-pins',
    kubernetesCluster: 'kubernetes-cluster',
    kubernetesLabels : 'kubernetes-labels',
    app              : 'app',
    service          : 'service',
    database         : 'database',
    username         : 'username',
    listen           : 'listen',
    timeoutMs        : 'timeout-ms',
    diagPort         : 'diag-port',
    dataDir          : 'data-dir',
  ]
}

/** Options this step reads itself. */
@NonCPS
List<String> ownOptions() {
  return ['token', 'kind', 'version', 'cdnBaseUrl', 'cliPath', 'cliDownloadUrl', 'registrationSecretCredentialsId', 'debug']
}

/** Options of earlier versions, and what replaced them. */
@NonCPS
Map<String, String> replacedOptions() {
  return [cli: "cliPath: '/path/to/teleport-ci' (or leave it out: the step finds or downloads the CLI)"]
}

@NonCPS
List<String> kinds() {
  return ['auth', 'auth-ssh', 'auth-k8s', 'auth-app', 'auth-application', 'database-tunnel', 'application-tunnel']
}

/** The first problem with the options, or null. */
@NonCPS
String checkOptions(Map opts) {
  List<String> known = new ArrayList<String>(kindFlags().keySet())
  known.addAll(ownOptions())
  for (Object key : opts.keySet()) {
    String replacement = replacedOptions()[String.valueOf(key)]
    if (replacement) return "withTeleport: option '${key}' is gone: use ${replacement}".toString()
    if (!known.contains(String.valueOf(key))) {
      return "withTeleport: unknown option '${key}'; known: ${known.join(', ')}".toString()
    }
  }
  String kind = opts.kind == null ? 'auth' : String.valueOf(opts.kind)
  if (!kinds().contains(kind)) {
    return "withTeleport: kind '${kind}' is not one of ${kinds().join(', ')}".toString()
  }
  for (String path : ['cliPath', 'cliDownloadUrl']) {
    if (opts.containsKey(path) && (opts[path] == null || String.valueOf(opts[path]).trim().isEmpty())) {
      return "withTeleport: ${path} is empty: give a value, or leave the option out".toString()
    }
  }
  if (opts.cliPath && !String.valueOf(opts.cliPath).startsWith('/')) {
    return "withTeleport: cliPath '${opts.cliPath}' is not an absolute path: give the full path of teleport-ci on the agent, e.g. '/usr/local/bin/teleport-ci'".toString()
  }
  if (opts.cliDownloadUrl && !(String.valueOf(opts.cliDownloadUrl) ==~ /https?:\/\/\S+/)) {
    return "withTeleport: cliDownloadUrl '${opts.cliDownloadUrl}' is not an http(s) URL: give the folder URL that holds teleport-ci-linux-amd64 and teleport-ci-linux-arm64".toString()
  }
  return null
}

/** POSIX single quotes: the shell sees exactly `value`, whatever it holds. */
@NonCPS
String quote(Object value) {
  return "'" + String.valueOf(value).replace("'", "'\\''") + "'"
}

/** One shell command line from words, each word quoted. */
@NonCPS
String shellCommand(List words) {
  List<String> quoted = []
  for (Object w : words) quoted.add(quote(w))
  return quoted.join(' ')
}

/**
 * The environment of the step that finds the CLI: the options become the variables
 * find-teleport-ci.sh reads (an unset option leaves the agent's own variable in force).
 */
@NonCPS
List<String> findEnv(Map opts, String folder) {
  List<String> vars = ["TMPDIR=${folder}/tmp".toString()]
  if (opts.cliPath) vars.add("TELEPORT_CI_BIN=${opts.cliPath}".toString())
  if (opts.cliDownloadUrl) vars.add("TELEPORT_CI_DOWNLOAD_URL=${opts.cliDownloadUrl}".toString())
  return vars
}

/**
 * A script that defines find-teleport-ci.sh's functions and prints the path of teleport-ci
 * (progress and errors go to stderr). Each `sh` step is a new shell: the path is what carries
 * over, through returnStdout. Tracing is off inside the fragment unless `debug` is on: a few
 * hundred traced lines would bury its one-line error.
 */
@NonCPS
String findScript(String fragment, boolean debug, String command) {
  return [debug ? 'set -x' : 'set +x', fragment, command].join('\n')
}

/** The path find-teleport-ci.sh printed: its last line, which must be an absolute path. */
@NonCPS
String foundPath(String stdout) {
  List<String> lines = (stdout ?: '').readLines().findAll { it.trim() }
  String path = lines ? lines[-1].trim() : ''
  if (!path.startsWith('/')) {
    return null
  }
  return path
}

/**
 * find-teleport-ci.sh names the variables it reads; on Jenkins the fix is the step's option.
 * The line keeps its own reason and gains the option's name.
 */
@NonCPS
String findFailure(String stderr, String shMessage, Map opts) {
  String line = cliFailure(stderr, shMessage, ['find-teleport-ci.sh'])
  if (opts.cliPath) line = line.replace("TELEPORT_CI_BIN is '", "cliPath is '").replace('or unset it', 'or leave cliPath out')
  if (opts.cliDownloadUrl) line = line.replace('check TELEPORT_CI_DOWNLOAD_URL', 'check cliDownloadUrl')
  return line
    .replace('set TELEPORT_CI_BIN', "set cliPath: '/path/to/teleport-ci'")
    .replace('set TELEPORT_CI_DOWNLOAD_URL', 'set cliDownloadUrl')
}

/** A list option as the CLI reads it: 'a,b', or a Groovy list/map. */
@NonCPS
String listValue(Object value) {
  if (value instanceof Map) return value.collect { k, v -> "${k}=${v}" }.join(',')
  if (value instanceof Collection) return value.collect { String.valueOf(it) }.join(',')
  return String.valueOf(value)
}

/** Arguments of `teleport-ci <kind>` (as `--flag=value`, so no value is taken for a flag). */
@NonCPS
List<String> kindArgs(String kind, Map opts, String folder) {
  List<String> args = [kind]
  kindFlags().each { option, flag ->
    Object value = opts[option]
    if (value != null && listValue(value) != '') args.add("--${flag}=${listValue(value)}".toString())
  }
  args.add("--out=${folder}/out".toString())
  args.add("--state-file=${folder}/state.json".toString())
  args.add('--print-env')
  if (opts.debug in [true, 'true']) args.add('--debug')
  return args
}

@NonCPS
List<String> setupArgs(String version, Map opts) {
  List<String> args = ['setup', "--version=${version}".toString()]
  if (opts.proxy) args.add("--proxy=${opts.proxy}".toString())
  if (opts.cdnBaseUrl) args.add("--cdn-base-url=${opts.cdnBaseUrl}".toString())
  args.add('--print-env')
  if (opts.debug in [true, 'true']) args.add('--debug')
  return args
}

/**
 * A script that runs `command` with its stdout captured by `sh(returnStdout: true)` and its
 * stderr both shown live in the build log and kept in `errFile` (POSIX sh has no `2> >(tee)`),
 * exiting with the command's status. The `||` keeps `sh -e` from stopping before the status
 * is saved.
 */
@NonCPS
String captureStderr(String command, String errFile, String rcFile) {
  String err = quote(errFile)
  String rc = quote(rcFile)
  return [
    "echo 0 > ${rc}",
    "{ { ${command} || echo \$? > ${rc}; } 2>&1 1>&3 3>&- | tee ${err} 1>&2 3>&-; } 3>&1",
    "exit \"\$(cat ${rc})\"",
  ].join('\n')
}

/** The CLI's own reason for failing, from its stderr: its `teleport-ci: ...` line. */
@NonCPS
String cliFailure(String stderr, String shMessage, List<String> cli) {
  List<String> lines = []
  for (String l : (stderr ?: '').split('\n')) {
    String plain = l.replaceAll(/\u001B\[[0-9;]*m/, '').trim()
    if (plain) lines.add(plain)
  }
  String own = lines.reverse().find { it.startsWith('teleport-ci:') }
  if (own) return "withTeleport: ${own}".toString()
  if ((shMessage ?: '').contains('exit code 126') || (shMessage ?: '').contains('exit code 127')) {
    return ("withTeleport: '${cli.join(' ')}' could not be run on this agent (${lines ? lines[-1] : shMessage}): " +
      "set cliPath to a teleport-ci executable, or leave cliPath out to download it").toString()
  }
  String last = lines ? lines[-1] : (shMessage ?: 'failed')
  return "withTeleport: ${cli.join(' ')}: ${last}".toString()
}

/**
 * Parses the CLI's `--print-env` output into withEnv() entries. Values are single-quoted, a
 * quote inside written as '\'' and line breaks kept; PATH additions come as
 * `export PATH='dir':"$PATH"` and become Jenkins' `PATH+NAME=dir` (prepend).
 */
@NonCPS
List<String> parseExports(String text) {
  List<String> result = []
  String s = text ?: ''
  int i = 0
  int n = s.length()
  while (true) {
    while (i < n && Character.isWhitespace(s.charAt(i))) i++
    if (i >= n) break
    if (!s.startsWith('export ', i)) throw new IllegalArgumentException(unexpected(s, i))
    i += 'export '.length()
    int nameStart = i
    while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' as char)) i++
    String name = s.substring(nameStart, i)
    if (!(name ==~ /[A-Za-z_][A-Za-z0-9_]*/) || i >= n || s.charAt(i) != '=' as char) {
      throw new IllegalArgumentException(unexpected(s, nameStart))
    }
    i++
    StringBuilder value = new StringBuilder()
    boolean appendsPath = false
    while (i < n && !Character.isWhitespace(s.charAt(i))) {
      char c = s.charAt(i)
      if (c == '\'' as char) {
        int end = s.indexOf("'", i + 1)
        if (end < 0) throw new IllegalArgumentException("unterminated quote after ${name}=")
        value.append(s, i + 1, end)
        i = end + 1
      } else if (c == '\\' as char && i + 1 < n) {
        value.append(s.charAt(i + 1))
        i += 2
      } else if (name == 'PATH' && s.startsWith(':"$PATH"', i)) {
        appendsPath = true
        i += ':"$PATH"'.length()
      } else {
        throw new IllegalArgumentException(unexpected(s, i))
      }
    }
    if (appendsPath) {
      result.add("PATH+TELEPORT_CI=${value}".toString())
    } else {
      result.add("${name}=${value}".toString())
    }
  }
  return result
}

@NonCPS
String unexpected(String s, int at) {
  String rest = s.substring(at)
  int eol = rest.indexOf('\n')
  return "unexpected output from teleport-ci: ${eol < 0 ? rest : rest.substring(0, eol)}".toString()
}

/**
 * Runs `script` (built with captureStderr) and returns its stdout; on failure, fails the build
 * with `explain(stderr, sh's message)`: the tool's own one-line reason, shown live above too.
 */
String runCaptured(String script, String label, List<String> vars, String errFile, Closure explain) {
  String failure = null
  String out = null
  try {
    out = withEnv(vars) {
      sh(script: script, returnStdout: true, label: label)
    }
  } catch (hudson.AbortException e) {
    String stderr = ''
    try {
      stderr = readFile(errFile)
    } catch (IOException ignored) {
      // no stderr file: the shell failed before the command ran
    }
    failure = explain(stderr, e.message)
  }
  if (failure) error(failure)
  return out
}

/** The path of teleport-ci on this agent, found or downloaded by find-teleport-ci.sh. */
String findCli(Map opts, String folder) {
  String fragment = libraryResource('teleport/find-teleport-ci.sh')
  String errFile = "${folder}/find-stderr.log"
  String command = captureStderr("teleport_ci_find && printf '%s\\n' \"\$TELEPORT_CI\"", errFile, "${folder}/find-status")
  String script = findScript(fragment, opts.debug in [true, 'true'], command)
  String out = runCaptured(script, 'withTeleport: find teleport-ci', findEnv(opts, folder), errFile) { String stderr, String message ->
    findFailure(stderr, message, opts)
  }
  String path = foundPath(out)
  if (!path) error("withTeleport: find-teleport-ci.sh printed no path of teleport-ci ('${out?.trim()}'): set cliPath to the path of teleport-ci on this agent")
  return path
}

/** Runs the CLI with `args`; returns the withEnv() entries it printed, or fails the build with its reason. */
List<String> runCli(List<String> cli, List<String> args, String folder, List<String> cliEnv) {
  String errFile = "${folder}/cli-stderr.log"
  String script = captureStderr(shellCommand(cli + args), errFile, "${folder}/cli-status")
  String out = runCaptured(script, "teleport-ci ${args[0]}", cliEnv, errFile) { String stderr, String message ->
    cliFailure(stderr, message, cli)
  }
  try {
    return parseExports(out)
  } catch (IllegalArgumentException e) {
    error("withTeleport: ${e.message}")
  }
}

def call(Map opts = [:], Closure body) {
  Map o = opts == null ? [:] : opts
  String problem = checkOptions(o)
  if (problem) error(problem)
  String kind = o.kind == null ? 'auth' : String.valueOf(o.kind)
  // version: 'auto' (ask the proxy), a version, or 'none'/false: use the tbot already on PATH.
  String version = o.containsKey('version') ? String.valueOf(o.version ?: 'none') : 'auto'

  // A private folder per block (parallel branches each get their own) under the build's temp.
  String base = env.WORKSPACE_TMP ?: pwd(tmp: true)
  String folder = sh(
    script: "umask 077 && mkdir -p ${quote(base)} && d=\$(mktemp -d ${quote(base + '/teleport-ci.XXXXXXXX')}) && mkdir \"\$d/tmp\" && printf '%s\\n' \"\$d\"",
    returnStdout: true,
    label: 'withTeleport: make a private folder',
  ).trim()
  // The CLI's own scratch files (tbot.yaml, tbot's log) stay in the folder too.
  List<String> cliEnv = ["TMPDIR=${folder}/tmp".toString()]
  List<String> cli = null
  boolean bodyDone = false
  try {
    cli = [findCli(o, folder)]
    List<String> vars = []
    if (version != 'none') vars.addAll(runCli(cli, setupArgs(version, o), folder, cliEnv))

    // Tunnels leave tbot running after the CLI exits: keep Jenkins from killing it when the
    // sh step ends (JENKINS_NODE_COOKIE); cleanup stops it at the end of the block.
    List<String> joinEnv = new ArrayList<String>(cliEnv)
    // The join token goes through the environment (the CLI reads TELEPORT_BOT_TOKEN), never
    // the command line: Jenkins runs sh with -x, and with `joinMethod: 'token'` it is a secret.
    if (o.token) joinEnv.add("TELEPORT_BOT_TOKEN=${String.valueOf(o.token)}".toString())
    if (kind.endsWith('-tunnel')) joinEnv.add('JENKINS_NODE_COOKIE=dontKillMe')
    List<String> joined = withEnv(vars) {
      if (o.registrationSecretCredentialsId) {
        return withCredentials([string(credentialsId: String.valueOf(o.registrationSecretCredentialsId),
                                       variable: 'TBOT_REGISTRATION_SECRET')]) {
          return runCli(cli, kindArgs(kind, o, folder), folder, joinEnv)
        }
      }
      return runCli(cli, kindArgs(kind, o, folder), folder, joinEnv)
    }
    vars.addAll(joined)

    def result = withEnv(vars) {
      body()
    }
    bodyDone = true
    return result
  } finally {
    String cleanupFailure = null
    // No CLI found: nothing ran that needs stopping.
    if (cli) {
      try {
        withEnv(cliEnv) {
          sh(script: shellCommand(cli + ['cleanup', "--state-file=${folder}/state.json".toString()]),
             label: 'teleport-ci cleanup')
        }
      } catch (hudson.AbortException e) {
        cleanupFailure = e.message
      }
    }
    dir(folder) {
      deleteDir()
    }
    if (cleanupFailure) {
      String message = "withTeleport: teleport-ci cleanup failed (${cleanupFailure}); the credentials folder was deleted"
      // The body's own failure matters more; otherwise a tunnel may still run: fail the build.
      if (bodyDone) error(message)
      echo(message)
    }
  }
}

def call(Map opts = [:]) {
  error("withTeleport: needs a block: withTeleport(proxy: ..., token: ...) { sh '...' }")
}
