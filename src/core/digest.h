// sha256 digests in the OCI form "sha256:<64 lowercase hex digits>". They name blobs and layer
// directories, so one read from an untrusted manifest is checked before it becomes a path.
// Hashing uses libcrypto's EVP interface (OpenSSL): a vetted, hardware-accelerated sha256 that
// Debian ships anyway; libarchive and SQLite offer none to callers.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace cradle {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  // "sha256:<hex>" of everything given to update(). Call once.
  std::string finish();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

// Whether digest is "sha256:" followed by exactly 64 lowercase hex digits.
bool is_sha256_digest(std::string_view digest);

// The hex part of a digest that is_sha256_digest accepts; kInvalidArgument
// (`unsupported digest "<digest>"`) otherwise.
std::string digest_hex(std::string_view digest);

}  // namespace cradle
