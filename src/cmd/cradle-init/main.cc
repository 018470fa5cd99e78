// cradle-init: the pid 1 of `--init` containers, as docker's tini. It runs the command after "--"
// as its only child, forwards the signals a container gets to it, reaps every process that ends
// up orphaned under it, and exits with the child's status (128+N when signal N killed it).
//
// It is bind-mounted into images of any libc (or none), so it is linked statically and uses
// nothing but a few syscalls: no iostreams, no allocation, no exceptions.
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace {

// Failures of cradle-init itself, before or instead of the command: docker's 125. The command
// not found / not runnable are 127 / 126, as a shell reports them.
constexpr int kInitFailed = 125;
constexpr int kNotExecutable = 126;
constexpr int kNotFound = 127;

void say(const char* a, const char* b = "", const char* c = "") {
  const char* parts[] = {"cradle-init: ", a, b, c, "\n"};
  for (const char* s : parts) {
    // Nothing better to do when stderr is gone: the exit status still tells.
    if (::write(STDERR_FILENO, s, ::strlen(s)) < 0) return;
  }
}

// Signals that report a fault of this very process, or stop it for terminal access; tini leaves
// them alone too. Every other one is blocked and handled in the loop.
bool is_left_alone(int sig) {
  switch (sig) {
    case SIGFPE:
    case SIGILL:
    case SIGSEGV:
    case SIGBUS:
    case SIGABRT:
    case SIGTRAP:
    case SIGSYS:
    case SIGTTIN:
    case SIGTTOU: return true;
    default: return false;
  }
}

struct SavedSignals {
  sigset_t blocked;  // what the loop waits for
  sigset_t mask;
  struct sigaction ttin;
  struct sigaction ttou;
};

// Blocks what the loop waits for; ignores SIGTTIN/SIGTTOU so that handing the terminal to the
// child's process group (tcsetpgrp) cannot stop us.
bool take_signals(SavedSignals& saved) {
  ::sigfillset(&saved.blocked);
  for (int sig = 1; sig < NSIG; ++sig)
    if (is_left_alone(sig)) ::sigdelset(&saved.blocked, sig);
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  return ::sigprocmask(SIG_SETMASK, &saved.blocked, &saved.mask) == 0 &&
         ::sigaction(SIGTTIN, &ignore, &saved.ttin) == 0 &&
         ::sigaction(SIGTTOU, &ignore, &saved.ttou) == 0;
}

[[noreturn]] void run_child(char** argv, const SavedSignals& saved) {
  // Its own process group, in the foreground of the terminal if there is one: ^C reaches the
  // command's whole job, as it would in a shell. No terminal is fine.
  if (::setpgid(0, 0) != 0) {
    say("setpgid: ", ::strerror(errno));
    ::_exit(kInitFailed);
  }
  if (::tcsetpgrp(STDIN_FILENO, ::getpgrp()) != 0 && errno != ENOTTY && errno != ENXIO &&
      errno != EBADF) {
    say("tcsetpgrp: ", ::strerror(errno));
    ::_exit(kInitFailed);
  }
  if (::sigaction(SIGTTIN, &saved.ttin, nullptr) != 0 ||
      ::sigaction(SIGTTOU, &saved.ttou, nullptr) != 0 ||
      ::sigprocmask(SIG_SETMASK, &saved.mask, nullptr) != 0) {
    say("restore the signal mask: ", ::strerror(errno));
    ::_exit(kInitFailed);
  }
  ::execvp(argv[0], argv);
  int err = errno;
  say(argv[0], ": ", ::strerror(err));
  ::_exit(err == ENOENT ? kNotFound : kNotExecutable);
}

int exit_code(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

// Reaps every child that has ended; true once `child` is among them, its status in *status.
bool reap(pid_t child, int* status) {
  bool child_done = false;
  for (;;) {
    int st = 0;
    pid_t pid = ::waitpid(-1, &st, WNOHANG);
    if (pid < 0 && errno == EINTR) continue;
    if (pid <= 0) return child_done;  // 0: the rest still run; ECHILD: none left
    if (pid == child) {
      *status = st;
      child_done = true;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // "cradle-init -- cmd args" as docker writes it; "cradle-init cmd args" works too.
  int first = argc > 1 && ::strcmp(argv[1], "--") == 0 ? 2 : 1;
  if (first >= argc) {
    say("no command to run (usage: cradle-init -- COMMAND [ARG]...)");
    return kInitFailed;
  }
  // Not pid 1 (a container sharing another's pid namespace): still be the one that reaps.
  if (::getpid() != 1) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

  SavedSignals saved;
  if (!take_signals(saved)) {
    say("block signals: ", ::strerror(errno));
    return kInitFailed;
  }
  pid_t child = ::fork();
  if (child < 0) {
    say("fork: ", ::strerror(errno));
    return kInitFailed;
  }
  if (child == 0) run_child(argv + first, saved);

  for (;;) {
    siginfo_t info;
    int sig = ::sigwaitinfo(&saved.blocked, &info);
    if (sig < 0) continue;  // EINTR: a stop/continue; nothing else can fail here
    if (sig != SIGCHLD) {
      // To the child alone, as tini: it decides what its own children get. It may have just
      // ended (ESRCH): its SIGCHLD is on the way.
      ::kill(child, sig);
      continue;
    }
    int status = 0;
    if (reap(child, &status)) return exit_code(status);
  }
}
