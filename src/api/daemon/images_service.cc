#include <fcntl.h>
#include <unistd.h>

#include "api/daemon/convert.h"
#include "api/daemon/daemon_services.h"
#include "api/daemon/grpc_util.h"
#include "base/clock.h"
#include "base/file_io.h"
#include "core/image_reference.h"

namespace cradle::api {
namespace {

void describe(const ImageRecord& image, v1::Image* out) {
  out->set_name(image.name);
  out->set_digest(image.digest);
  out->set_size(image.size);
  set_time(out->mutable_created_at(), image.created_at_ns);
}

}  // namespace

grpc::Status ImagesService::Import(grpc::ServerContext*,
                                   grpc::ServerReader<v1::ImportChunk>* reader,
                                   v1::ImportResponse* out) {
  return serve([&] {
    // The tarball lands in an unlinked file under the root first: imports read it more than once.
    int fd = ::open(d_.config.root.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) throw_errno("make a temporary file in " + d_.config.root);
    UniqueFd file(fd);
    v1::ImportChunk chunk;
    std::string name;
    bool first = true;
    while (reader->Read(&chunk)) {
      if (first) name = chunk.name();
      first = false;
      const std::string& data = chunk.data();
      std::size_t done = 0;
      while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
          if (errno == EINTR) continue;
          throw_errno("store the imported tarball");
        }
        done += static_cast<std::size_t>(n);
      }
    }
    if (::lseek(fd, 0, SEEK_SET) != 0) throw_errno("rewind the imported tarball");
    for (const ImageRecord& image : d_.images.import_tar(fd, name)) {
      describe(image, out->add_images());
      d_.events.publish(Event{realtime_ns(), "", "/images/create",
                              nlohmann::json{{"name", image.name}}.dump(), ""});
    }
  });
}

grpc::Status ImagesService::List(grpc::ServerContext*, const google::protobuf::Empty*,
                                 v1::ListImagesResponse* out) {
  return serve([&] {
    for (const ImageRecord& image : d_.metadata.list_images())
      describe(image, out->add_images());
  });
}

grpc::Status ImagesService::Remove(grpc::ServerContext*, const v1::RemoveImageRequest* req,
                                   google::protobuf::Empty*) {
  return serve([&] {
    d_.images.remove(normalize_image_name(req->name()));
    d_.events.publish(Event{realtime_ns(), "", "/images/delete",
                            nlohmann::json{{"name", req->name()}}.dump(), ""});
  });
}

}  // namespace cradle::api
