// A small stand-in for the Jenkins Pipeline runtime, enough to run a shared library's
// vars/*.groovy steps outside Jenkins:
//
//   groovy PipelineStubs.groovy <library dir> <pipeline snippet file>
//
// The library's vars/<name>.groovy files load as scripts (GroovyShell) sharing one Binding that
// holds the steps below as closures; a pipeline snippet calls `withTeleport(...) { ... }` like
// a Jenkinsfile does. Steps behave like Jenkins' where the library depends on it:
//   sh            runs `$STUB_SH -xe <script file>` (default /bin/sh, as Jenkins does) with the
//                 current environment and directory; returnStdout, returnStatus, label; a
//                 non-zero exit throws hudson.AbortException('script returned exit code N')
//   withEnv       NAME=value entries for the block only; PATH+NAME=dir prepends to PATH
//   withCredentials + string(credentialsId:, variable:)  values from $STUB_CREDENTIALS (JSON);
//                 a missing ID fails like Jenkins. Not masked: tests check nothing prints them.
//   libraryResource(path)  the text of <library>/resources/<path>
//   pwd(tmp: true) <dir>@tmp; dir(path) { }; deleteDir(); readFile; writeFile; echo; error;
//                 node { }
//   env           env.NAME reads the current environment (null when unset)
// Test-only: `stubSteps.<name>` is the loaded vars/<name>.groovy script, to call its helpers.
// The build's initial environment is this process's, minus STUB_* variables, with PATH set to
// $STUB_AGENT_PATH when given (an agent whose PATH differs from the one that runs groovy). The log is
// stdout/stderr; the last line is `Finished: SUCCESS` or `ERROR: <message>` + `Finished: FAILURE`,
// and the exit code is 0 or 1.

import groovy.json.JsonSlurper
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.customizers.ImportCustomizer

class PipelineRuntime {
  List<Map<String, String>> envStack = []
  List<String> dirStack = []
  Map<String, String> credentials = [:]
  String shell = '/bin/sh'
  File scratch
  Class abortClass

  Map<String, String> currentEnv() { envStack[-1] }

  String cwd() { dirStack[-1] }

  Throwable abort(String message) { (Throwable) abortClass.newInstance(message) }

  void log(Object line) {
    System.err.flush()
    System.out.println(line)
    System.out.flush()
  }

  Object withOverrides(Map<String, String> overrides, Closure body) {
    Map<String, String> next = new LinkedHashMap<String, String>(currentEnv())
    overrides.each { k, v ->
      int plus = k.indexOf('+')
      if (plus > 0) {
        String base = k.substring(0, plus)
        next[base] = next[base] ? "${v}:${next[base]}".toString() : v
      } else {
        next[k] = v
      }
    }
    envStack.add(next)
    try {
      return body.call()
    } finally {
      envStack.remove(envStack.size() - 1)
    }
  }

  Object sh(Object arg) {
    Map m = arg instanceof Map ? (Map) arg : [script: arg]
    if (m.returnStdout && m.returnStatus) throw abort('You may not select both returnStdout and returnStatus')
    log(m.label ? "[Pipeline] sh (${m.label})" : '[Pipeline] sh')
    File script = File.createTempFile('script', '.sh', scratch)
    script.setText(String.valueOf(m.script), 'UTF-8')
    ProcessBuilder pb = new ProcessBuilder([shell, '-xe', script.path])
    pb.directory(new File(cwd()))
    pb.environment().clear()
    pb.environment().putAll(currentEnv())
    pb.redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
    pb.redirectError(ProcessBuilder.Redirect.INHERIT)
    pb.redirectOutput(m.returnStdout ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT)
    System.out.flush()
    System.err.flush()
    Process p = pb.start()
    String out = m.returnStdout ? p.inputStream.getText('UTF-8') : null
    int rc = p.waitFor()
    script.delete()
    if (m.returnStatus) return rc
    if (rc != 0) throw abort("script returned exit code ${rc}")
    return out
  }

  Object withCredentials(List bindings, Closure body) {
    Map<String, String> vars = [:]
    bindings.each { Map b ->
      String id = b.credentialsId
      if (!credentials.containsKey(id)) throw abort("Could not find credentials entry with ID '${id}'")
      vars[(String) b.variable] = credentials[id]
    }
    log("[Pipeline] withCredentials (${vars.keySet().join(', ')})")
    return withOverrides(vars, body)
  }

  String resolve(String path) {
    File f = new File(path)
    return (f.isAbsolute() ? f : new File(cwd(), path)).path
  }

  Object dir(String path, Closure body) {
    log("[Pipeline] dir (${path})")
    dirStack.add(resolve(path))
    try {
      return body.call()
    } finally {
      dirStack.remove(dirStack.size() - 1)
    }
  }

  void deleteDir() {
    log('[Pipeline] deleteDir')
    File d = new File(cwd())
    if (d.exists() && !d.deleteDir()) throw new IOException("Unable to delete ${d}")
  }
}

class EnvView extends GroovyObjectSupport {
  private final PipelineRuntime rt

  EnvView(PipelineRuntime rt) { this.rt = rt }

  Object getProperty(String name) { this.@rt.currentEnv()[name] }

  void setProperty(String name, Object value) {
    this.@rt.envStack.each { it[name] = value == null ? null : String.valueOf(value) }
  }
}

if (args.length != 2) {
  System.err.println('usage: groovy PipelineStubs.groovy <library dir> <pipeline file>')
  System.exit(2)
}
File library = new File(args[0])
File pipeline = new File(args[1])

def config = new CompilerConfiguration()
config.sourceEncoding = 'UTF-8'
def imports = new ImportCustomizer()
imports.addImports('com.cloudbees.groovy.cps.NonCPS')
config.addCompilationCustomizers(imports)
def gcl = new GroovyClassLoader(this.class.classLoader, config)
// The Jenkins classes the library names: @NonCPS (imported by default there) and the
// exception a failing sh or error step throws.
gcl.parseClass('''package com.cloudbees.groovy.cps
import java.lang.annotation.*
@Retention(RetentionPolicy.RUNTIME) @Target([ElementType.METHOD]) @interface NonCPS {}''')
Class abortClass = gcl.parseClass('''package hudson
class AbortException extends IOException { AbortException(String m) { super(m) } }''')

def rt = new PipelineRuntime()
rt.abortClass = abortClass
rt.shell = System.getenv('STUB_SH') ?: '/bin/sh'
rt.scratch = new File(System.getenv('STUB_TMP') ?: System.getProperty('java.io.tmpdir'))
rt.credentials = System.getenv('STUB_CREDENTIALS') ? (Map) new JsonSlurper().parseText(System.getenv('STUB_CREDENTIALS')) : [:]
Map<String, String> initial = new LinkedHashMap<String, String>()
System.getenv().each { k, v -> if (!k.startsWith('STUB_')) initial[k] = v }
if (System.getenv('STUB_AGENT_PATH')) initial.PATH = System.getenv('STUB_AGENT_PATH')
rt.envStack.add(initial)
rt.dirStack.add(initial.WORKSPACE ?: System.getProperty('user.dir'))

def binding = new Binding()
binding.setVariable('env', new EnvView(rt))
binding.setVariable('sh', { Object a -> rt.sh(a) })
binding.setVariable('withEnv', { List entries, Closure body ->
  Map<String, String> vars = new LinkedHashMap<String, String>()
  entries.each { String e ->
    int eq = e.indexOf('=')
    if (eq < 0) throw new IllegalArgumentException("withEnv: no '=' in ${e}")
    vars[e.substring(0, eq)] = e.substring(eq + 1)
  }
  rt.log("[Pipeline] withEnv (${vars.keySet().join(', ')})")
  rt.withOverrides(vars, body)
})
binding.setVariable('withCredentials', { List b, Closure body -> rt.withCredentials(b, body) })
binding.setVariable('string', { Map m -> [$class: 'StringBinding'] + m })
binding.setVariable('pwd', { Map m = [:] -> m.tmp ? "${rt.cwd()}@tmp".toString() : rt.cwd() })
binding.setVariable('dir', { String path, Closure body -> rt.dir(path, body) })
binding.setVariable('deleteDir', { -> rt.deleteDir() })
binding.setVariable('readFile', { Object a ->
  String file = a instanceof Map ? ((Map) a).file : String.valueOf(a)
  new File(rt.resolve(file)).getText('UTF-8')
})
binding.setVariable('writeFile', { Map m -> new File(rt.resolve((String) m.file)).setText((String) m.text, 'UTF-8') })
binding.setVariable('libraryResource', { String path ->
  File f = new File(new File(library, 'resources'), path)
  if (!f.isFile()) throw rt.abort("No such library resource ${path} could be found.")
  f.getText('UTF-8')
})
binding.setVariable('echo', { Object m -> rt.log(m) })
binding.setVariable('error', { Object m -> throw rt.abort(String.valueOf(m)) })
binding.setVariable('node', { Object... a -> ((Closure) a[-1]).call() })

def shell = new GroovyShell(gcl, binding, config)
// Global variables: vars/<name>.groovy; `name(...)` in the pipeline calls its call(...).
Map<String, Script> steps = [:]
binding.setVariable('stubSteps', steps)
new File(library, 'vars').listFiles().findAll { it.name.endsWith('.groovy') }.sort().each { File f ->
  Script step = shell.parse(f)
  step.binding = binding
  steps[f.name - '.groovy'] = step
  binding.setVariable(f.name - '.groovy', { Object... a -> step.invokeMethod('call', a) })
}

int exitCode = 0
try {
  // Jenkins compiles a Jenkinsfile as a script class named WorkflowScript.
  shell.parse(pipeline.getText('UTF-8'), 'WorkflowScript').run()
  rt.log('Finished: SUCCESS')
} catch (Throwable t) {
  if (abortClass.isInstance(t)) {
    rt.log("ERROR: ${t.message}")
  } else {
    System.out.flush()
    t.printStackTrace(System.out)
    rt.log("ERROR: ${t}")
  }
  rt.log('Finished: FAILURE')
  exitCode = 1
}
System.exit(exitCode)
