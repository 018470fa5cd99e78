#include "core/digest.h"

#include <openssl/evp.h>

#include "base/error.h"
#include "core/json_field.h"

namespace cradle {
namespace {

constexpr std::string_view kSha256Prefix = "sha256:";

[[noreturn]] void evp_failed(std::string_view call) {
  throw Error(ErrorCode::kInternal, "sha256: " + std::string(call) + " failed");
}

}  // namespace

void Sha256::Free::operator()(evp_md_ctx_st* ctx) const {
  EVP_MD_CTX_free(ctx);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) evp_failed("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) evp_failed("EVP_DigestInit_ex");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size) {
  if (size == 0) return;
  if (EVP_DigestUpdate(ctx_.get(), data, size) != 1) evp_failed("EVP_DigestUpdate");
}

std::string Sha256::finish() {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), hash, &size) != 1) evp_failed("EVP_DigestFinal_ex");
  constexpr char kHex[] = "0123456789abcdef";
  std::string out(kSha256Prefix);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[hash[i] >> 4];
    out += kHex[hash[i] & 0xf];
  }
  return out;
}

bool is_sha256_digest(std::string_view digest) {
  if (!digest.starts_with(kSha256Prefix)) return false;
  std::string_view hex = digest.substr(kSha256Prefix.size());
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string digest_hex(std::string_view digest) {
  if (!is_sha256_digest(digest)) throw_invalid("unsupported digest " + quote(digest));
  return std::string(digest.substr(kSha256Prefix.size()));
}

}  // namespace cradle
