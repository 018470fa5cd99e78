#include "core/image_reference.h"

#include <gtest/gtest.h>

#include "base/error.h"

namespace cradle {
namespace {

TEST(ImageReference, ShortNamesBecomeFull) {
  EXPECT_EQ(normalize_image_name("busybox"), "docker.io/library/busybox:latest");
  EXPECT_EQ(normalize_image_name("busybox:1.36"), "docker.io/library/busybox:1.36");
  EXPECT_EQ(normalize_image_name("me/app"), "docker.io/me/app:latest");
  EXPECT_EQ(normalize_image_name("docker.io/busybox"), "docker.io/library/busybox:latest");
  EXPECT_EQ(normalize_image_name("docker.io/library/busybox:latest"),
            "docker.io/library/busybox:latest");
}

TEST(ImageReference, RegistriesStay) {
  EXPECT_EQ(normalize_image_name("registry.local:5000/x"), "registry.local:5000/x:latest");
  EXPECT_EQ(normalize_image_name("localhost/x:v1"), "localhost/x:v1");
  EXPECT_EQ(normalize_image_name("quay.io/a/b@sha256:abc"), "quay.io/a/b@sha256:abc");
}

TEST(ImageReference, TagsMayBeMixedCaseRepositoriesNot) {
  EXPECT_EQ(normalize_image_name("app:V1"), "docker.io/library/app:V1");
  EXPECT_THROW(normalize_image_name("App"), Error);
  EXPECT_THROW(normalize_image_name(""), Error);
  EXPECT_THROW(normalize_image_name("a b"), Error);
}

}  // namespace
}  // namespace cradle
