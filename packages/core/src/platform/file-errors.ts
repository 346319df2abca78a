// A file system error in plain words, instead of Node's `EISDIR: illegal operation on a
// directory, open '/tmp'`: what is wrong with the path, for a message that names the input.
const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
  ENOENT: 'its folder does not exist',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ELOOP: 'too many symbolic links',
};

export function fileErrorWords(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (code && WORDS[code]) ?? (err instanceof Error ? err.message : String(err));
}
