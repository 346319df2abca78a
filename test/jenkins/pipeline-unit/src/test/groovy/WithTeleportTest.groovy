import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library
import static com.lesfurets.jenkins.unit.global.lib.LocalSource.localSource
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertNotNull
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import com.lesfurets.jenkins.unit.BasePipelineTest
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import org.junit.After
import org.junit.Before
import org.junit.Test

/**
 * withTeleport (packages/jenkins/vars/withTeleport.groovy) loaded as Jenkins loads it: a
 * Jenkinsfile with `@Library('teleport@test') _`, the library's vars/ and resources/ from its
 * folder. JenkinsPipelineUnit records every step the library calls.
 *
 * Two kinds of `sh` step: the ones that make the block's folder and find teleport-ci run for
 * real, with /bin/sh (dash on Debian, as Jenkins' `sh`) and the environment withEnv built, so
 * the order of resolution is that of the real find-teleport-ci.sh; the teleport-ci calls
 * themselves answer from `cliOutput`/`cliFailures`, like the CLI would.
 */
class WithTeleportTest extends BasePipelineTest {
  static final Path LIBRARY = Paths.get(System.getProperty('library.dir', '../../../packages/jenkins')).toRealPath()
  static final String JENKINSFILE = 'src/test/jenkins/pipeline.jenkins'
  static final String PROXY = 'teleport.example.com:443'

  Path root
  Path workspaceTmp
  /** The environment withEnv scopes: the last entry is the current one. */
  List<Map<String, String>> envStack = []
  /** Every `sh` step: label, script, and the environment it ran with. */
  List<Map> shSteps = []
  /** What `teleport-ci <command>` prints, by command. */
  Map<String, String> cliOutput = [
    setup: "export PATH='/agent/cache/teleport/17.4.2/bin':\"\$PATH\"\n",
    auth : "export TELEPORT_IDENTITY_FILE='/f/out/identity'\nexport TELEPORT_PROXY='${PROXY}'\n",
    'auth-ssh': "export TELEPORT_CI_SSH_CONFIG='/f/out/ssh_config'\n",
  ]
  /** `teleport-ci <command>` fails with this stderr. */
  Map<String, String> cliFailures = [:]
  /** What the block saw. */
  Map<String, String> blockEnv

  @Before
  void setUp() throws Exception {
    scriptRoots += 'src/test/jenkins'
    super.setUp()
    root = Files.createTempDirectory('with-teleport-jpu-')
    workspaceTmp = root.resolve('workspace@tmp')
    Files.createDirectories(root.resolve('home'))
    // The library as a checkout has it; a test may swap resources/ for a release's copy.
    Path checkout = Files.createDirectories(root.resolve('teleport@test'))
    Files.createSymbolicLink(checkout.resolve('vars'), LIBRARY.resolve('vars'))
    Files.createSymbolicLink(checkout.resolve('resources'), LIBRARY.resolve('resources'))
    helper.registerSharedLibrary(library().name('teleport')
      .defaultVersion('test')
      .allowOverride(true)
      .implicit(false)
      .targetPath(root.toString())
      .retriever(localSource(root.toString()))
      .build())

    envStack = [[
      PATH         : agentPath([]),
      HOME         : root.resolve('home').toString(),
      WORKSPACE_TMP: workspaceTmp.toString(),
    ]]
    binding.setVariable('env', new EnvView(this))
    binding.setVariable('block', { -> blockEnv = new LinkedHashMap<String, String>(currentEnv()) })

    helper.registerAllowedMethod('sh', [Map], { Map m -> sh(m) })
    helper.registerAllowedMethod('sh', [String], { String s -> sh([script: s]) })
    helper.registerAllowedMethod('withEnv', [List, Closure], { List entries, Closure body -> withEnv(entries, body) })
    helper.registerAllowedMethod('error', [String], { String m -> throw new hudson.AbortException(m) })
    helper.registerAllowedMethod('readFile', [String], { String f -> new File(f).getText('UTF-8') })
    helper.registerAllowedMethod('pwd', [Map], { Map m -> root.resolve('workspace@tmp').toString() })
    helper.registerAllowedMethod('dir', [String, Closure], { String d, Closure body ->
      dirStack.add(d)
      try {
        return body.call()
      } finally {
        dirStack.remove(dirStack.size() - 1)
      }
    })
    helper.registerAllowedMethod('deleteDir', [], { -> new File(dirStack[-1]).deleteDir() })
    helper.registerAllowedMethod('withCredentials', [List, Closure], { List bindings, Closure body ->
      withEnv(bindings.collect { "${it.variable}=secret-of-${it.credentialsId}".toString() }, body)
    })
    helper.registerAllowedMethod('string', [Map], { Map m -> m })
  }

  List<String> dirStack = []

  @After
  void removeRoot() {
    // rm, not File.deleteDir(): that follows the links into the library's own folder.
    assertEquals(0, ['rm', '-rf', '--', root.toString()].execute().waitFor())
  }

  Map<String, String> currentEnv() { envStack[-1] }

  /** A PATH of links to the basic tools a shell needs (no node, no teleport-ci), plus `dirs`. */
  String agentPath(List<String> dirs) {
    Path bin = root.resolve('agent-bin')
    if (!Files.exists(bin)) {
      Files.createDirectories(bin)
      ['cat', 'chmod', 'dirname', 'find', 'id', 'mkdir', 'mktemp', 'mv', 'rm', 'tee', 'uname', 'curl', 'sha256sum'].each { tool ->
        String target = ['/usr/bin', '/bin'].collect { "${it}/${tool}" }.find { new File(it).exists() }
        assertNotNull("${tool} is not installed", target)
        Files.createSymbolicLink(bin.resolve(tool), Paths.get(target))
      }
    }
    return (dirs + [bin.toString()]).join(':')
  }

  /** An executable `teleport-ci` in a folder of its own; returns its path. */
  String fakeCli(String name) {
    Path dir = root.resolve(name)
    Files.createDirectories(dir)
    Path cli = dir.resolve('teleport-ci')
    cli.toFile().text = '#!/bin/sh\nexit 0\n'
    cli.toFile().setExecutable(true)
    return cli.toString()
  }

  Object withEnv(List entries, Closure body) {
    Map<String, String> next = new LinkedHashMap<String, String>(currentEnv())
    entries.each { String e ->
      int eq = e.indexOf('=')
      String name = e.substring(0, eq)
      String value = e.substring(eq + 1)
      int plus = name.indexOf('+')
      if (plus > 0) {
        String base = name.substring(0, plus)
        next[base] = next[base] ? "${value}:${next[base]}".toString() : value
      } else {
        next[name] = value
      }
    }
    envStack.add(next)
    try {
      return body.call()
    } finally {
      envStack.remove(envStack.size() - 1)
    }
  }

  Object sh(Map m) {
    Map step = [label: m.label, script: String.valueOf(m.script), env: new LinkedHashMap(currentEnv())]
    shSteps.add(step)
    String label = String.valueOf(m.label)
    if (label.startsWith('teleport-ci ')) return cli(label.substring('teleport-ci '.length()), step.script)
    return runShell(step.script, m.returnStdout as boolean)
  }

  /** Runs `script` as Jenkins' sh does: `/bin/sh -xe`, the current environment, no stdin. */
  String runShell(String script, boolean returnStdout) {
    File file = File.createTempFile('script', '.sh', root.toFile())
    file.text = script
    ProcessBuilder pb = new ProcessBuilder(['/bin/sh', '-xe', file.path])
    pb.environment().clear()
    pb.environment().putAll(currentEnv())
    pb.redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
    pb.redirectError(ProcessBuilder.Redirect.INHERIT)
    Process p = pb.start()
    String out = p.inputStream.getText('UTF-8')
    int rc = p.waitFor()
    if (rc != 0) throw new hudson.AbortException("script returned exit code ${rc}")
    return returnStdout ? out : null
  }

  /** A teleport-ci call: `cliOutput`, or a failure whose stderr goes where the step reads it. */
  String cli(String command, String script) {
    if (command == 'cleanup') {
      if (cliFailures.cleanup) throw new hudson.AbortException('script returned exit code 1')
      return null
    }
    String failure = cliFailures[command]
    if (failure) {
      String errFile = (script =~ /tee '([^']+)'/)[0][1]
      new File(errFile).text = failure
      throw new hudson.AbortException('script returned exit code 1')
    }
    return cliOutput[command] ?: ''
  }

  /** Runs the Jenkinsfile with these options; returns the build's error message, or null. */
  String build(Map options) {
    binding.setVariable('options', options)
    try {
      runScript(JENKINSFILE)
      return null
    } catch (hudson.AbortException e) {
      return e.message
    }
  }

  List<Map> stepsLabelled(String label) { shSteps.findAll { it.label == label } }

  /** The teleport-ci path the CLI calls ran (first word of `teleport-ci setup`'s command). */
  String cliUsed() {
    Map setup = stepsLabelled('teleport-ci setup')[0]
    assertNotNull("no teleport-ci setup step in ${shSteps*.label}", setup)
    return (setup.script =~ /\{ \{ '([^']+)' 'setup'/)[0][1]
  }

  void assertFolderGone() {
    List<String> left = workspaceTmp.toFile().list() as List<String>
    assertEquals([], left ?: [])
  }

  static final Map BASE = [proxy: PROXY, token: 'jenkins-bot', joinMethod: 'bound_keypair']

  // --- options ---------------------------------------------------------------------------

  @Test
  void unknownOptionFailsBeforeAnyStep() {
    assertEquals(
      "withTeleport: unknown option 'proxie'; known: proxy, joinMethod, roles, certificateTtl, caPins, kubernetesCluster, kubernetesLabels, app, service, database, username, listen, timeoutMs, diagPort, dataDir, token, kind, version, cdnBaseUrl, cliPath, cliDownloadUrl, registrationSecretCredentialsId, debug",
      build(BASE + [proxie: 'x']))
    assertEquals([], shSteps)
    assertEquals(0L, helper.methodCallCount('libraryResource'))
  }

  @Test
  void badKindAndReplacedCliOptionFailBeforeAnyStep() {
    assertEquals('withTeleport: kind \'auth-db\' is not one of auth, auth-ssh, auth-k8s, auth-app, auth-application, database-tunnel, application-tunnel',
      build(BASE + [kind: 'auth-db']))
    assertEquals("withTeleport: option 'cli' is gone: use cliPath: '/path/to/teleport-ci' (or leave it out: the step finds or downloads the CLI)",
      build(BASE + [cli: 'npx -y @teleport-actions/cli']))
    assertEquals([], shSteps)
  }

  @Test
  void withoutABlockItSaysSo() {
    binding.setVariable('options', BASE)
    try {
      runScript('src/test/jenkins/no-block.jenkins')
      fail('a step without a block ran')
    } catch (hudson.AbortException e) {
      assertEquals("withTeleport: needs a block: withTeleport(proxy: ..., token: ...) { sh '...' }", e.message)
    }
    assertEquals([], shSteps)
  }

  @Test
  void cliPathAndDownloadUrlAreChecked() {
    assertEquals("withTeleport: cliPath 'bin/teleport-ci' is not an absolute path: give the full path of teleport-ci on the agent, e.g. '/usr/local/bin/teleport-ci'",
      build(BASE + [cliPath: 'bin/teleport-ci']))
    assertEquals('withTeleport: cliPath is empty: give a value, or leave the option out', build(BASE + [cliPath: ' ']))
    assertEquals("withTeleport: cliDownloadUrl 'ftp://mirror/teleport-ci' is not an http(s) URL: give the folder URL that holds teleport-ci-linux-amd64 and teleport-ci-linux-arm64",
      build(BASE + [cliDownloadUrl: 'ftp://mirror/teleport-ci']))
    assertEquals([], shSteps)
  }

  // --- order of resolution ---------------------------------------------------------------

  @Test
  void cliPathComesFirst() {
    String explicit = fakeCli('explicit')
    String fromVariable = fakeCli('variable')
    envStack[0].TELEPORT_CI_BIN = fromVariable
    envStack[0].PATH = agentPath([new File(fakeCli('on-path')).parent])
    assertNull(build(BASE + [cliPath: explicit]))
    assertEquals(explicit, cliUsed())
  }

  @Test
  void thenTheAgentsTeleportCiBin() {
    String fromVariable = fakeCli('variable')
    envStack[0].TELEPORT_CI_BIN = fromVariable
    envStack[0].PATH = agentPath([new File(fakeCli('on-path')).parent])
    assertNull(build(BASE))
    assertEquals(fromVariable, cliUsed())
  }

  @Test
  void thenTeleportCiOnPath() {
    String onPath = fakeCli('on-path')
    envStack[0].PATH = agentPath([new File(onPath).parent])
    assertNull(build(BASE))
    assertEquals(onPath, cliUsed())
  }

  @Test
  void withoutNodeAnUnreleasedCopyRefusesToDownloadAndRunsNothing() {
    // The repository's resource has no checksum pinned: only a release's copy downloads.
    assertEquals(
      "withTeleport: teleport-ci: this copy of the wrapper is not a release, so no checksum is pinned for the standalone teleport-ci: use a released version, an image with Node.js 20 or later, or set cliPath: '/path/to/teleport-ci'",
      build(BASE))
    assertEquals(['withTeleport: make a private folder', 'withTeleport: find teleport-ci'], shSteps*.label)
    assertFolderGone()
  }

  @Test
  void aReleasedCopyDownloadsFromCliDownloadUrl() {
    // The library's resource with a release's checksums in it, as a release writes it.
    Path resources = root.resolve('teleport@test/resources')
    Files.delete(resources)
    Files.createDirectories(resources.resolve('teleport'))
    String fragment = LIBRARY.resolve('resources/teleport/find-teleport-ci.sh').toFile().getText('UTF-8')
    resources.resolve('teleport/find-teleport-ci.sh').toFile().text = fragment
      .replaceAll(/(?m)^(teleport_ci_release_sha256_linux_[a-z0-9]+)=''$/, "\$1='${'a' * 64}'")
    ServerSocket closed = new ServerSocket(0)
    int port = closed.localPort
    closed.close()

    String error = build(BASE + [cliDownloadUrl: "http://127.0.0.1:${port}/mirror".toString()])
    assertEquals(
      "withTeleport: teleport-ci: could not download http://127.0.0.1:${port}/mirror/teleport-ci-linux-amd64: check the job's network access, or set cliDownloadUrl to a mirror of this release's files".toString(),
      error)
    Map find = stepsLabelled('withTeleport: find teleport-ci')[0]
    assertEquals("http://127.0.0.1:${port}/mirror".toString(), find.env.TELEPORT_CI_DOWNLOAD_URL)
    assertEquals(['withTeleport: make a private folder', 'withTeleport: find teleport-ci'], shSteps*.label)
    assertFolderGone()
  }

  @Test
  void cliPathThatIsNotAnExecutableIsNamed() {
    String missing = root.resolve('nowhere/teleport-ci').toString()
    envStack[0].PATH = agentPath([new File(fakeCli('on-path')).parent])
    assertEquals(
      "withTeleport: teleport-ci: cliPath is '${missing}', which is not an executable file: give the path of teleport-ci, or leave cliPath out".toString(),
      build(BASE + [cliPath: missing]))
    assertFolderGone()
  }

  // --- the sh scripts ----------------------------------------------------------------------

  @Test
  void theFindStepRunsTheLibrarysResourceWithOptionsInItsEnvironmentOnly() {
    String explicit = fakeCli('explicit')
    assertNull(build(BASE + [cliPath: explicit, cliDownloadUrl: 'https://mirror.example.com/teleport-ci/v1.0.0']))
    Map find = stepsLabelled('withTeleport: find teleport-ci')[0]
    String resource = LIBRARY.resolve('resources/teleport/find-teleport-ci.sh').toFile().getText('UTF-8')
    assertTrue('the script holds the resource', find.script.contains(resource.trim()))
    assertTrue(find.script.startsWith('set +x\n'))
    assertTrue(find.script.contains("teleport_ci_find && printf '%s\\n' \"\$TELEPORT_CI\""))
    // Options reach the script through its environment, not its text.
    assertEquals(explicit, find.env.TELEPORT_CI_BIN)
    assertEquals('https://mirror.example.com/teleport-ci/v1.0.0', find.env.TELEPORT_CI_DOWNLOAD_URL)
    assertFalse(find.script.contains(explicit))
    // ...and nowhere else: not in the CLI's steps, not in the block.
    for (Map step : shSteps.findAll { it.label.startsWith('teleport-ci ') }) {
      assertNull(step.label, step.env.TELEPORT_CI_BIN)
    }
    assertNull(blockEnv.TELEPORT_CI_BIN)
    assertEquals(1L, helper.methodCallCount('libraryResource'))
  }

  @Test
  void everyScriptItRunsIsPosixShThatShellcheckAndDashAccept() {
    String explicit = fakeCli('explicit')
    assertNull(build(BASE + [cliPath: explicit, kind: 'database-tunnel', service: "it's", listen: 'tcp://127.0.0.1:5432']))
    assertEquals(5, shSteps.size())
    shSteps.eachWithIndex { Map step, int i ->
      File file = root.resolve("step-${i}.sh").toFile()
      file.text = step.script
      for (List<String> check : [['shellcheck', '-s', 'sh', file.path], ['dash', '-n', file.path]]) {
        Process p = check.execute()
        String out = p.inputStream.getText('UTF-8') + p.errorStream.getText('UTF-8')
        assertEquals("${check[0]} on the '${step.label}' script:\n${out}".toString(), 0, p.waitFor())
      }
    }
  }

  @Test
  void runsSetupThenTheKindWithTheTokenInTheEnvironmentAndTheBlockGetsTheVariables() {
    String explicit = fakeCli('explicit')
    assertNull(build(BASE + [cliPath: explicit, kind: 'auth-ssh', version: '17.4.2']))
    assertEquals([
      'withTeleport: make a private folder', 'withTeleport: find teleport-ci',
      'teleport-ci setup', 'teleport-ci auth-ssh', 'teleport-ci cleanup',
    ], shSteps*.label)
    Map join = stepsLabelled('teleport-ci auth-ssh')[0]
    assertEquals('jenkins-bot', join.env.TELEPORT_BOT_TOKEN)
    assertFalse(join.script.contains('jenkins-bot'))
    assertTrue(join.script.contains("'--join-method=bound_keypair'"))
    // setup's PATH addition is in force for the join and in the block.
    assertTrue(join.env.PATH.startsWith('/agent/cache/teleport/17.4.2/bin:'))
    assertEquals('/f/out/ssh_config', blockEnv.TELEPORT_CI_SSH_CONFIG)
    assertTrue(blockEnv.PATH.startsWith('/agent/cache/teleport/17.4.2/bin:'))
    assertNull(blockEnv.TELEPORT_BOT_TOKEN)
    // After the block: nothing is left in the environment.
    assertEquals(1, envStack.size())
    assertNull(envStack[0].TELEPORT_CI_SSH_CONFIG)
  }

  @Test
  void theRegistrationSecretReachesTheJoinOnly() {
    String explicit = fakeCli('explicit')
    assertNull(build(BASE + [cliPath: explicit, registrationSecretCredentialsId: 'tbot-secret']))
    assertEquals('secret-of-tbot-secret', stepsLabelled('teleport-ci auth')[0].env.TBOT_REGISTRATION_SECRET)
    assertNull(stepsLabelled('teleport-ci setup')[0].env.TBOT_REGISTRATION_SECRET)
    assertNull(stepsLabelled('withTeleport: find teleport-ci')[0].env.TBOT_REGISTRATION_SECRET)
    assertNull(blockEnv.TBOT_REGISTRATION_SECRET)
  }

  // --- cleanup in finally ------------------------------------------------------------------

  @Test
  void aFailingBlockStillCleansUpAndDeletesTheFolder() {
    String explicit = fakeCli('explicit')
    binding.setVariable('block', { -> throw new hudson.AbortException('the block failed') })
    assertEquals('the block failed', build(BASE + [cliPath: explicit]))
    Map cleanup = stepsLabelled('teleport-ci cleanup')[0]
    assertNotNull(cleanup)
    String folder = (cleanup.script =~ /'--state-file=([^']+)\/state\.json'/)[0][1]
    assertTrue(folder.startsWith(workspaceTmp.toString() + '/teleport-ci.'))
    assertTrue(cleanup.script.startsWith("'${explicit}' 'cleanup'".toString()))
    assertFalse(new File(folder).exists())
    assertFolderGone()
  }

  @Test
  void aFailingJoinReportsTheCliLineAndCleansUp() {
    String explicit = fakeCli('explicit')
    cliFailures.auth = 'joining...\nteleport-ci: auth: tbot failed: joining with token: token expired or not found\n'
    assertEquals('withTeleport: teleport-ci: auth: tbot failed: joining with token: token expired or not found',
      build(BASE + [cliPath: explicit]))
    assertNull('the block did not run', blockEnv)
    assertEquals('teleport-ci cleanup', shSteps[-1].label)
    assertFolderGone()
  }

  @Test
  void noCliFoundMeansNoCleanupCallButTheFolderIsDeleted() {
    build(BASE + [cliPath: root.resolve('missing').toString()])
    assertEquals([], stepsLabelled('teleport-ci cleanup'))
    assertEquals(1L, helper.methodCallCount('deleteDir'))
    assertFolderGone()
  }

  @Test
  void aFailingCleanupAfterAGoodBlockFailsTheBuild() {
    String explicit = fakeCli('explicit')
    cliFailures.cleanup = 'x'
    assertEquals('withTeleport: teleport-ci cleanup failed (script returned exit code 1); the credentials folder was deleted',
      build(BASE + [cliPath: explicit]))
    assertNotNull('the block ran', blockEnv)
    assertFolderGone()
  }
}

/** `env.NAME` in the library: the current withEnv scope. */
class EnvView extends GroovyObjectSupport {
  private final WithTeleportTest test

  EnvView(WithTeleportTest test) { this.test = test }

  Object getProperty(String name) { this.@test.currentEnv()[name] }
}
