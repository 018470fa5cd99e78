// OCI image layout: oci-layout marks it, index.json lists descriptors of image manifests (or of
// indexes of per-platform manifests), and every blob is blobs/sha256/<hex>, checked against its
// digest and its descriptor's size. Docker's distribution media types are taken alongside the
// OCI ones, as skopeo and buildkit write either.
#include <array>
#include <optional>

#include "base/error.h"
#include "core/image_archive.h"
#include "core/json_field.h"

namespace cradle {
namespace {

constexpr std::array kIndexTypes = {
    std::string_view("application/vnd.oci.image.index.v1+json"),
    std::string_view("application/vnd.docker.distribution.manifest.list.v2+json"),
};
constexpr std::array kManifestTypes = {
    std::string_view("application/vnd.oci.image.manifest.v1+json"),
    std::string_view("application/vnd.docker.distribution.manifest.v2+json"),
};
// Compression is found from the bytes themselves; the type only tells a layer from other blobs.
constexpr std::array kLayerTypes = {
    std::string_view("application/vnd.oci.image.layer.v1.tar"),
    std::string_view("application/vnd.oci.image.layer.v1.tar+gzip"),
    std::string_view("application/vnd.oci.image.layer.v1.tar+zstd"),
    std::string_view("application/vnd.oci.image.layer.nondistributable.v1.tar"),
    std::string_view("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"),
    std::string_view("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"),
    std::string_view("application/vnd.docker.image.rootfs.diff.tar"),
    std::string_view("application/vnd.docker.image.rootfs.diff.tar.gzip"),
    std::string_view("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"),
};
// An index nested in an index (a multi-platform image inside index.json) goes one level down in
// practice; the bound only stops a crafted cycle.
constexpr int kMaxIndexDepth = 4;

// The platform an image must be for to run here, in Go's GOARCH names as OCI uses them.
constexpr std::string_view host_architecture() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__arm__)
  return "arm";
#elif defined(__i386__)
  return "386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64le";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "unknown";
#endif
}

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& types, std::string_view type) {
  for (auto t : types) {
    if (t == type) return true;
  }
  return false;
}

struct Descriptor {
  std::string path;  // in its JSON document, for messages
  std::string media_type;
  std::string digest;
  std::optional<std::int64_t> size;
  std::map<std::string, std::string> annotations;
  std::optional<std::string> os;
  std::optional<std::string> architecture;
};

Descriptor read_descriptor(const JsonField& field) {
  Descriptor d{.path = field.path(),
               .media_type = {},
               .digest = {},
               .size = {},
               .annotations = {},
               .os = {},
               .architecture = {}};
  field.read("mediaType", d.media_type);
  d.digest = field.require("digest").as_string();
  field.read("size", d.size);
  field.read("annotations", d.annotations);
  if (auto platform = field.find("platform")) {
    d.os = platform->require("os").as_string();
    d.architecture = platform->require("architecture").as_string();
  }
  return d;
}

class OciReader {
 public:
  explicit OciReader(const StagedArchive& archive) : archive_(archive) {}

  // The blob a descriptor points at, checked against its digest and size.
  const StagedArchive::File& blob(const Descriptor& d, std::string_view role) const {
    const StagedArchive::File& file = archive_.blob(d.digest, role);
    if (d.size && *d.size != file.size) {
      throw_invalid(std::string(role) + " " + file.path + " is " + std::to_string(file.size) +
                    " bytes, " + d.path + " says " + std::to_string(*d.size));
    }
    return file;
  }

  // The image a top-level descriptor of index.json names.
  ArchiveImage image(const Descriptor& d, int depth) const {
    if (one_of(kIndexTypes, d.media_type)) {
      if (depth >= kMaxIndexDepth) throw_invalid(d.path + ": indexes nested too deep");
      return image(pick_platform(blob(d, "index")), depth + 1);
    }
    if (!one_of(kManifestTypes, d.media_type)) {
      throw_invalid(d.path + ": unsupported media type " + quote(d.media_type));
    }
    return manifest(d);
  }

 private:
  // The manifest of an index that runs here: linux on this machine's architecture.
  Descriptor pick_platform(const StagedArchive::File& index_file) const {
    nlohmann::json doc = parse_json_file(archive_, index_file);
    std::vector<Descriptor> candidates;
    for (const JsonField& field :
         JsonField::section(doc, index_file.path).require("manifests").elements()) {
      Descriptor d = read_descriptor(field);
      bool runs_here = !d.os || (*d.os == "linux" && *d.architecture == host_architecture());
      if (runs_here) candidates.push_back(std::move(d));
    }
    if (candidates.empty()) {
      throw_invalid(index_file.path + ": no manifest for linux/" +
                    std::string(host_architecture()));
    }
    return candidates.front();
  }

  ArchiveImage manifest(const Descriptor& d) const {
    const StagedArchive::File& file = blob(d, "manifest");
    nlohmann::json doc = parse_json_file(archive_, file);
    JsonField manifest = JsonField::section(doc, file.path);
    const StagedArchive::File& config = blob(read_descriptor(manifest.require("config")), "config");
    std::vector<ArchiveLayer> layers;
    for (const JsonField& field : manifest.require("layers").elements()) {
      Descriptor layer = read_descriptor(field);
      if (!one_of(kLayerTypes, layer.media_type)) {
        throw_invalid(layer.path + ": unsupported layer media type " + quote(layer.media_type));
      }
      const StagedArchive::File& layer_file = blob(layer, "layer");
      layers.push_back({.path = layer_file.path, .staged = layer_file.staged, .diff_id = {}});
    }
    ConfigBlob config_blob = read_config_blob(archive_, config, layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i)
      layers[i].diff_id = config_blob.diff_ids[i];
    return ArchiveImage{
        .names = {}, .digest = d.digest, .config_json = config_blob.json, .layers = layers};
  }

  const StagedArchive& archive_;
};

// The name the descriptor gives its image: containerd's full-name annotation, else OCI's ref
// name when it is a full reference. A bare ref name ("latest", "1.0") is only a tag, which
// leaves the image for the caller to name.
std::optional<std::string> image_name(const Descriptor& d) {
  if (auto it = d.annotations.find("io.containerd.image.name"); it != d.annotations.end()) {
    return it->second;
  }
  auto it = d.annotations.find("org.opencontainers.image.ref.name");
  if (it != d.annotations.end() && it->second.find_first_of("/:") != std::string::npos) {
    return it->second;
  }
  return std::nullopt;
}

}  // namespace

std::vector<ArchiveImage> read_oci_layout(const StagedArchive& archive) {
  nlohmann::json layout = parse_json_file(archive, archive.file("oci-layout", "OCI layout file"));
  JsonField::section(layout, "oci-layout").require("imageLayoutVersion").as_string();
  const StagedArchive::File& index_file = archive.file("index.json", "OCI index");
  nlohmann::json index = parse_json_file(archive, index_file);
  OciReader reader(archive);
  std::vector<ArchiveImage> images;
  for (const JsonField& field :
       JsonField::section(index, "index.json").require("manifests").elements()) {
    Descriptor d = read_descriptor(field);
    ArchiveImage image = reader.image(d, 0);
    image.digest = d.digest;  // what a registry calls the image: the top descriptor's digest
    if (auto name = image_name(d)) image.names.push_back(*name);
    images.push_back(std::move(image));
  }
  if (images.empty()) throw_invalid("index.json lists no image");
  return images;
}

}  // namespace cradle
