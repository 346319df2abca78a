package hudson

/**
 * Jenkins' hudson.AbortException, which a failing `sh` or an `error` step throws: the library
 * catches it by this name. (JenkinsPipelineUnit does not ship Jenkins core.)
 */
class AbortException extends IOException {
  AbortException(String message) {
    super(message)
  }
}
