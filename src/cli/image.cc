#include "cli/image.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"

namespace cradle::cli {
namespace {

constexpr std::size_t kShortDigest = 12;

// Fills `chunk` up to its capacity, so every chunk but the last is full; false at end of input.
bool read_chunk(int fd, std::string& chunk, const std::string& file) {
  chunk.resize(kImportChunkBytes);
  std::size_t filled = 0;
  while (filled < chunk.size()) {
    ssize_t got = ::read(fd, chunk.data() + filled, chunk.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw CliError("cannot read " + file + ": " + std::strerror(errno));
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  chunk.resize(filled);
  return filled > 0;
}

std::string short_digest(const std::string& digest) {
  auto colon = digest.find(':');
  std::string hex = colon == std::string::npos ? digest : digest.substr(colon + 1);
  return hex.substr(0, kShortDigest);
}

}  // namespace

void add_image(CLI::App& app, Action& action) {
  CLI::App* image = app.add_subcommand("image", "Manage images");
  image->require_subcommand(1);

  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* import = image->add_subcommand("import", "Import a docker-archive or OCI tarball");
  import->add_option("FILE", import_options->file, "The tarball, or - for stdin")->required();
  import->add_option("NAME", import_options->name, "A name, if the tarball names no image");
  on_parsed(import, action, import_options, &import_image);

  auto list_options = std::make_shared<ImageListOptions>();
  CLI::App* list = image->add_subcommand("ls", "List images");
  list->alias("list");
  list->add_flag("-q,--quiet", list_options->quiet, "Only print names");
  on_parsed(list, action, list_options, &list_images);

  auto remove_options = std::make_shared<ImageRemoveOptions>();
  CLI::App* remove = image->add_subcommand("rm", "Remove images");
  remove->alias("remove");
  remove->add_option("IMAGE", remove_options->names)->required();
  on_parsed(remove, action, remove_options, &remove_images);
}

int import_image(const Context& ctx, const ImportOptions& options) {
  UniqueFd file;
  int fd = ctx.env.in_fd;
  if (options.file != "-") {
    file.reset(::open(options.file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file) throw CliError("cannot open " + options.file + ": " + std::strerror(errno));
    fd = file.get();
  }
  auto call = ctx.daemon.context();
  v1::ImportResponse response;
  auto stream = ctx.daemon.images().Import(call.get(), &response);
  v1::ImportChunk chunk;
  chunk.set_name(options.name);
  // The first message goes even for an empty input: it carries the name, and the daemon, not
  // the CLI, says what is wrong with the tarball.
  try {
    bool more = read_chunk(fd, *chunk.mutable_data(), options.file);
    bool sent = stream->Write(chunk);
    while (sent && more) {
      chunk.Clear();
      more = read_chunk(fd, *chunk.mutable_data(), options.file);
      if (more) sent = stream->Write(chunk);
    }
  } catch (const CliError&) {
    // The input broke off: the daemon must not take half a tarball for a whole one.
    call->TryCancel();
    stream->Finish();
    throw;
  }
  stream->WritesDone();
  if (grpc::Status status = stream->Finish(); !status.ok()) throw RpcError(status);
  for (const auto& image : response.images())
    ctx.out("Imported " + image.name() + " (" + image.digest() + ")\n");
  return 0;
}

int list_images(const Context& ctx, const ImageListOptions& options) {
  auto response =
      ctx.daemon.call(ctx.daemon.images(), &v1::Images::Stub::List, google::protobuf::Empty());
  TimePoint now = ctx.env.now();
  Table table({"NAME", "DIGEST", "CREATED", "SIZE"});
  std::string names;
  for (const auto& image : response.images()) {
    names += image.name() + "\n";
    table.add_row({image.name(), short_digest(image.digest()),
                   is_set(image.created_at())
                       ? human_duration(now - to_time_point(image.created_at())) + " ago"
                       : "",
                   human_size(static_cast<double>(image.size()))});
  }
  ctx.out(options.quiet ? names : table.render());
  return 0;
}

int remove_images(const Context& ctx, const ImageRemoveOptions& options) {
  int exit_code = 0;
  for (const auto& name : options.names) {
    v1::RemoveImageRequest request;
    request.set_name(name);
    try {
      try {
        ctx.daemon.call(ctx.daemon.images(), &v1::Images::Stub::Remove, request);
      } catch (const RpcError& error) {
        if (error.code() == grpc::StatusCode::NOT_FOUND) throw CliError("no such image: " + name);
        throw;
      }
      ctx.out("Removed " + name + "\n");
    } catch (...) {
      exit_code = report_failure(std::current_exception(), ctx.daemon, ctx.env.err_fd);
    }
  }
  return exit_code;
}

}  // namespace cradle::cli
