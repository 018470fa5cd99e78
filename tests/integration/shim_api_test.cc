// cradle-shim as containerd drives it: `start`, the containerd.task.v2.Task API over ttrpc, the
// events it forwards, and `delete`.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "base/file_io.h"
#include "github.com/containerd/cgroups/v2/stats/metrics.pb.h"
#include "github.com/containerd/containerd/api/types/task/task.pb.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "shim_api_client.h"
#include "shim_run.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

namespace task = containerd::task::v2;
using containerd::v1::types::Status;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A FIFO the way ctr makes one, with the client's end open before Create.
class ClientFifo {
 public:
  ClientFifo(const std::string& path, bool client_reads) : path_(path) {
    if (::mkfifo(path.c_str(), 0700) != 0) throw std::runtime_error("mkfifo " + path);
    // The reader end opens at once with O_NONBLOCK; a writer end has to wait for the shim.
    if (client_reads) fd_.reset(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  }
  const std::string& path() const { return path_; }
  // Everything until every writer closed (the shim's keep-alive reader means: until the shim
  // let go of it, or `until` appeared).
  std::string read_until(const std::string& until) {
    std::string out;
    for (int i = 0; i < 500 && out.find(until) == std::string::npos; ++i) {
      char buf[4096];
      ssize_t n = ::read(fd_.get(), buf, sizeof buf);
      if (n > 0) {
        out.append(buf, static_cast<std::size_t>(n));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    return out;
  }
  void open_writer() { fd_.reset(::open(path_.c_str(), O_WRONLY | O_CLOEXEC)); }
  void write(const std::string& data) {
    ASSERT_EQ(::write(fd_.get(), data.data(), data.size()), static_cast<ssize_t>(data.size()));
  }
  void close() { fd_.reset(); }

 private:
  std::string path_;
  UniqueFd fd_;
};

class ShimApi : public ::testing::Test {
 protected:
  ShimApi() : events_(fifos_.path() + "/events.sock") {}

  // A shim for a container running `args`; Create mounts the busybox rootfs on the bundle's
  // rootfs directory, as containerd's snapshotter would (a bind for a single layer).
  void start_shim(std::vector<std::string> args, bool terminal = false) {
    bundle_ = std::make_unique<BusyboxBundle>(std::move(args));
    ::unlink(bundle_->rootfs().c_str());
    ::mkdir(bundle_->rootfs().c_str(), 0711);
    bundle_->config()["root"]["path"] = "rootfs";
    bundle_->config()["process"]["terminal"] = terminal;
    bundle_->config()["linux"]["cgroupsPath"] = "/cradle/" + id_;
    shim_ = std::make_unique<ShimUnderTest>(*bundle_, id_, fifos_.path() + "/events.sock");
  }

  task::CreateTaskRequest create_request(const std::string& in, const std::string& out,
                                         const std::string& err, bool terminal = false) {
    task::CreateTaskRequest request = busybox_create_request(id_, bundle_->path());
    request.set_stdin(in);
    request.set_stdout(out);
    request.set_stderr(err);
    request.set_terminal(terminal);
    return request;
  }

  template <typename Request>
  Request with_id(const std::string& exec_id = "") {
    Request r;
    r.set_id(id_);
    if constexpr (requires { r.set_exec_id(exec_id); }) r.set_exec_id(exec_id);
    return r;
  }

  task::WaitResponse wait(const std::string& exec_id = "") {
    return shim_->call<task::WaitResponse>("Wait", with_id<task::WaitRequest>(exec_id));
  }
  task::StateResponse state(const std::string& exec_id = "") {
    return shim_->call<task::StateResponse>("State", with_id<task::StateRequest>(exec_id));
  }
  void kill(int sig, bool all = false, const std::string& exec_id = "") {
    auto request = with_id<task::KillRequest>(exec_id);
    request.set_signal(static_cast<std::uint32_t>(sig));
    request.set_all(all);
    shim_->call_raw("Kill", request.SerializeAsString());
  }
  std::string cgroup_dir() const { return run_cgroup_path(id_); }
  // What a failing call says.
  std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  void delete_and_shutdown() {
    shim_->call<task::DeleteResponse>("Delete", with_id<task::DeleteRequest>());
    shim_->call_raw("Shutdown", with_id<task::ShutdownRequest>().SerializeAsString());
  }

  TempDir fifos_;
  EventsRecorder events_;
  std::string id_ = unique_id("api");
  std::unique_ptr<BusyboxBundle> bundle_;
  std::unique_ptr<ShimUnderTest> shim_;
};

TEST_F(ShimApi, CreateStartWaitDeleteAndNothingLeft) {
  start_shim({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ClientFifo out(fifos_.path() + "/out", true), err(fifos_.path() + "/err", true);
  auto created =
      shim_->call<task::CreateTaskResponse>("Create", create_request("", out.path(), err.path()));
  EXPECT_GT(created.pid(), 0u);
  EXPECT_EQ(state().status(), Status::CREATED);
  auto started = shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  EXPECT_EQ(started.pid(), created.pid());

  task::WaitResponse waited = wait();
  EXPECT_EQ(waited.exit_status(), 3u);
  EXPECT_EQ(out.read_until("out\n"), "out\n");
  EXPECT_EQ(err.read_until("err\n"), "err\n");
  task::StateResponse s = state();
  EXPECT_EQ(s.status(), Status::STOPPED);
  EXPECT_EQ(s.exit_status(), 3u);
  EXPECT_EQ(s.exited_at().seconds(), waited.exited_at().seconds());
  EXPECT_EQ(s.exited_at().nanos(), waited.exited_at().nanos());
  EXPECT_EQ(s.pid(), created.pid());

  auto deleted = shim_->call<task::DeleteResponse>("Delete", with_id<task::DeleteRequest>());
  EXPECT_EQ(deleted.exit_status(), 3u);
  EXPECT_EQ(deleted.exited_at().nanos(), waited.exited_at().nanos());
  EXPECT_THAT(events_.wait_for("/tasks/delete"),
              ElementsAre("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"));

  struct stat st;
  EXPECT_NE(::stat(cgroup_dir().c_str(), &st), 0) << "the cgroup is still there";
  EXPECT_FALSE(host_mounts_mention(bundle_->path() + "/rootfs")) << "the rootfs is still mounted";
  shim_->call_raw("Shutdown", with_id<task::ShutdownRequest>().SerializeAsString());
  for (int i = 0; i < 100 && shim_->running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(shim_->running()) << "the shim did not exit on Shutdown";
  EXPECT_NE(::access(shim_->address().c_str(), F_OK), 0) << "the shim's socket is still there";
}

TEST_F(ShimApi, WaitBeforeStartIsAnsweredAtTheExitAndCallsGoOnMeanwhile) {
  start_shim({"sleep", "1000"});
  shim_->call<task::CreateTaskResponse>("Create", create_request("", "", ""));
  auto waiter = shim_->another_connection();
  auto waited = std::async(std::launch::async, [&] {
    return waiter->call("containerd.task.v2.Task", "Wait",
                        with_id<task::WaitRequest>().SerializeAsString(), std::chrono::seconds(30));
  });
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  EXPECT_EQ(state().status(), Status::RUNNING);  // not stalled behind the pending Wait
  kill(SIGKILL);
  ttrpc::RpcResult result = waited.get();
  ASSERT_TRUE(result.ok()) << result.message;
  task::WaitResponse response;
  response.ParseFromString(result.payload);
  EXPECT_EQ(response.exit_status(), 137u);
  EXPECT_EQ(state().exit_status(), 137u);
  EXPECT_THAT(error_of([&] { kill(SIGTERM); }), HasSubstr("NOT_FOUND: process already finished"));
  delete_and_shutdown();
}

TEST_F(ShimApi, DeletingACreatedTaskKillsIt) {
  start_shim({"true"});
  shim_->call<task::CreateTaskResponse>("Create", create_request("", "", ""));
  auto deleted = shim_->call<task::DeleteResponse>("Delete", with_id<task::DeleteRequest>());
  EXPECT_EQ(deleted.exit_status(), 137u);
  struct stat st;
  EXPECT_NE(::stat(cgroup_dir().c_str(), &st), 0);
}

TEST_F(ShimApi, ExecRunsInTheContainerWithItsOwnStdioAndExitCode) {
  start_shim({"sleep", "1000"});
  shim_->call<task::CreateTaskResponse>("Create", create_request("", "", ""));
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());

  ClientFifo out(fifos_.path() + "/exec-out", true);
  auto exec = with_id<task::ExecProcessRequest>("e1");
  exec.set_stdout(out.path());
  exec.mutable_spec()->set_type_url("types.containerd.io/opencontainers/runtime-spec/1/Process");
  exec.mutable_spec()->set_value(
      R"({"args":["sh","-c","echo exec in $(hostname); exit 4"],"cwd":"/","env":["PATH=/bin"],)"
      R"("user":{"uid":0,"gid":0}})");
  shim_->call_raw("Exec", exec.SerializeAsString());
  EXPECT_EQ(state("e1").status(), Status::CREATED);
  EXPECT_EQ(state("e1").pid(), static_cast<std::uint32_t>(state("e1").pid()));
  EXPECT_THAT(error_of([&] { shim_->call_raw("Exec", exec.SerializeAsString()); }),
              HasSubstr("ALREADY_EXISTS: id e1: already exists"));
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>("e1"));
  EXPECT_EQ(wait("e1").exit_status(), 4u);
  EXPECT_EQ(out.read_until("\n"), "exec in cradle\n");
  auto deleted = shim_->call<task::DeleteResponse>("Delete", with_id<task::DeleteRequest>("e1"));
  EXPECT_EQ(deleted.exit_status(), 4u);
  EXPECT_THAT(error_of([&] { state("e1"); }), HasSubstr("NOT_FOUND"));
  std::vector<std::string> topics = events_.wait_for("/tasks/exit");
  EXPECT_THAT(topics, ::testing::IsSupersetOf({"/tasks/exec-added", "/tasks/exec-started"}));
  kill(SIGKILL);
  wait();
  delete_and_shutdown();
}

TEST_F(ShimApi, PauseAndResumeFreezeTheContainer) {
  start_shim({"sleep", "1000"});
  shim_->call<task::CreateTaskResponse>("Create", create_request("", "", ""));
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  shim_->call_raw("Pause", with_id<task::PauseRequest>().SerializeAsString());
  EXPECT_EQ(state().status(), Status::PAUSED);
  EXPECT_EQ(read_file(cgroup_dir() + "/cgroup.freeze"), "1\n");
  shim_->call_raw("Resume", with_id<task::ResumeRequest>().SerializeAsString());
  EXPECT_EQ(state().status(), Status::RUNNING);
  EXPECT_EQ(read_file(cgroup_dir() + "/cgroup.freeze"), "0\n");
  EXPECT_THAT(events_.wait_for("/tasks/resumed"), ::testing::Contains("/tasks/paused"));
  kill(SIGKILL);
  wait();
  delete_and_shutdown();
}

TEST_F(ShimApi, KillAllReachesEveryProcessAndPidsListsThem) {
  start_shim({"sh", "-c", "sleep 1000 & sleep 1000 & wait"});
  shim_->call<task::CreateTaskResponse>("Create", create_request("", "", ""));
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  task::PidsResponse pids;
  for (int i = 0; i < 100; ++i) {
    pids = shim_->call<task::PidsResponse>("Pids", with_id<task::PidsRequest>());
    if (pids.processes_size() == 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(pids.processes_size(), 3);
  auto stats = shim_->call<task::StatsResponse>("Stats", with_id<task::StatsRequest>());
  EXPECT_EQ(stats.stats().type_url(), "io.containerd.cgroups.v2.Metrics");
  io::containerd::cgroups::v2::Metrics metrics;
  ASSERT_TRUE(metrics.ParseFromString(stats.stats().value()));
  EXPECT_GT(metrics.cpu().usage_usec(), 0u);
  kill(SIGKILL, /*all=*/true);
  EXPECT_EQ(wait().exit_status(), 137u);
  for (int i = 0; i < 100 && !read_file(cgroup_dir() + "/cgroup.procs").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(read_file(cgroup_dir() + "/cgroup.procs"), "");
  delete_and_shutdown();
}

TEST_F(ShimApi, StdinReachesTheProcessAndCloseIoEndsIt) {
  start_shim({"sh", "-c", "while read line; do echo \"got $line\"; done; echo eof"});
  ClientFifo in(fifos_.path() + "/in", false), out(fifos_.path() + "/out", true);
  shim_->call<task::CreateTaskResponse>("Create", create_request(in.path(), out.path(), ""));
  in.open_writer();
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  in.write("one\ntwo\n");
  EXPECT_EQ(out.read_until("got two\n"), "got one\ngot two\n");
  in.close();
  auto close_io = with_id<task::CloseIORequest>();
  close_io.set_stdin(true);
  shim_->call_raw("CloseIO", close_io.SerializeAsString());
  EXPECT_EQ(out.read_until("eof\n"), "eof\n");
  EXPECT_EQ(wait().exit_status(), 0u);
  delete_and_shutdown();
}

TEST_F(ShimApi, TerminalCarriesInputOutputAndResize) {
  start_shim({"sh"}, /*terminal=*/true);
  ClientFifo in(fifos_.path() + "/tin", false), out(fifos_.path() + "/tout", true);
  shim_->call<task::CreateTaskResponse>("Create", create_request(in.path(), out.path(), "", true));
  in.open_writer();
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  auto resize = with_id<task::ResizePtyRequest>();
  resize.set_width(123);
  resize.set_height(45);
  shim_->call_raw("ResizePty", resize.SerializeAsString());
  EXPECT_EQ(state().terminal(), true);
  in.write("tty; stty size; exit 5\n");
  EXPECT_EQ(wait().exit_status(), 5u);
  std::string shown = out.read_until("45 123");
  EXPECT_THAT(shown, HasSubstr("/dev/pts/0"));
  EXPECT_THAT(shown, HasSubstr("45 123"));
  delete_and_shutdown();
}

TEST_F(ShimApi, ErrorsCarryContainerdsCodes) {
  start_shim({"sleep", "1000"});
  EXPECT_THAT(error_of([&] { state(); }), HasSubstr("NOT_FOUND"));
  shim_->call<task::CreateTaskResponse>("Create", create_request("", "", ""));
  EXPECT_THAT(error_of([&] {
                shim_->call<task::CreateTaskResponse>("Create", create_request("", "", ""));
              }),
              HasSubstr("ALREADY_EXISTS"));
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  EXPECT_THAT(error_of([&] {
                shim_->call<task::DeleteResponse>("Delete", with_id<task::DeleteRequest>());
              }),
              HasSubstr("FAILED_PRECONDITION: cannot delete a running process"));
  EXPECT_THAT(error_of([&] { state("nope"); }),
              HasSubstr("NOT_FOUND: process does not exist nope"));
  EXPECT_THAT(error_of([&] { shim_->call_raw("Checkpoint", ""); }), HasSubstr("UNIMPLEMENTED"));
  kill(SIGKILL);
  wait();
  delete_and_shutdown();
}

TEST_F(ShimApi, DeleteActionCleansUpAfterADeadShim) {
  start_shim({"sleep", "1000"});
  auto created = shim_->call<task::CreateTaskResponse>("Create", create_request("", "", ""));
  shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  ASSERT_EQ(::kill(shim_->shim_pid(), SIGKILL), 0);
  for (int i = 0; i < 100 && shim_->running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ProcessResult r = run_process({"/bin/sh", "-c",
                                 "cd '" + bundle_->path() + "' && exec " + CRADLE_SHIM_BINARY +
                                     " -namespace cradle-test -address " + bundle_->path() +
                                     "/containerd.sock -publish-binary /bin/true -id " + id_ +
                                     " -bundle " + bundle_->path() + " delete"});
  EXPECT_EQ(r.status, 0) << r.err;
  task::DeleteResponse response;
  ASSERT_TRUE(response.ParseFromString(r.out));
  EXPECT_EQ(response.pid(), created.pid());
  EXPECT_EQ(response.exit_status(), 137u);
  EXPECT_GT(response.exited_at().seconds(), 0);
  struct stat st;
  EXPECT_NE(::stat(cgroup_dir().c_str(), &st), 0) << "the cgroup is still there";
  EXPECT_FALSE(host_mounts_mention(bundle_->path() + "/rootfs"));
  EXPECT_NE(::access(shim_->address().c_str(), F_OK), 0) << "the dead shim's socket is still there";
}

}  // namespace
}  // namespace cradle::testing
