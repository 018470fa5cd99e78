#include "namespaces/child_terminal.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <termios.h>
#include <unistd.h>

#include "base/unique_fd.h"
#include "namespaces/child_fs.h"

namespace cradle::ns {
namespace {

void bind_on_console(int slave, const ChildHandoff& handoff) {
  UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  handoff.check(root.get(), Stage::kConsole);
  UniqueFd console(open_in_root(root.get(), "/dev/console", CreateAs::kFile));
  handoff.check(console.get(), Stage::kConsole);
  UniqueFd pty_mount(::open_tree(slave, "", AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
  handoff.check(pty_mount.get(), Stage::kConsole);
  handoff.check(::move_mount(pty_mount.get(), "", console.get(), "",
                             MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH),
                Stage::kConsole);
}

}  // namespace

int open_terminal(const ProcessPlan& process, const ChildHandoff& handoff, bool bind_console) {
  int master = ::open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  handoff.check(master, Stage::kTerminal);
  int unlock = 0;
  handoff.check(::ioctl(master, TIOCSPTLCK, &unlock), Stage::kTerminal);
  UniqueFd slave(::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  handoff.check(slave.get(), Stage::kTerminal);
  if (process.console_width != 0 && process.console_height != 0) {
    winsize size{};
    size.ws_col = static_cast<unsigned short>(process.console_width);
    size.ws_row = static_cast<unsigned short>(process.console_height);
    handoff.check(::ioctl(slave.get(), TIOCSWINSZ, &size), Stage::kTerminal);
  }
  if (bind_console) bind_on_console(slave.get(), handoff);
  handoff.check(::ioctl(slave.get(), TIOCSCTTY, 0), Stage::kTerminal);
  for (int fd = 0; fd <= 2; ++fd)
    handoff.check(::dup2(slave.get(), fd), Stage::kTerminal);
  return master;
}

}  // namespace cradle::ns
