#include "apps/view/screenshot.h"

#include <cstring>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <stb_image_write.h>

#include "core/util/error.h"

namespace mnemo {

RgbImage ReadBackBuffer(int width, int height) {
  RgbImage image;
  image.width = width;
  image.height = height;
  image.pixels.resize(static_cast<std::size_t>(width) * height * 3);
  std::vector<unsigned char> rows(image.pixels.size());
  glFinish();
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rows.data());
  // OpenGL's first row is the bottom one.
  const std::size_t stride = static_cast<std::size_t>(width) * 3;
  for (int y = 0; y < height; ++y) {
    std::memcpy(image.pixels.data() + y * stride, rows.data() + (height - 1 - y) * stride, stride);
  }
  return image;
}

void WritePng(const RgbImage& image, const std::string& path) {
  const int ok = stbi_write_png(path.c_str(), image.width, image.height, 3, image.pixels.data(),
                                image.width * 3);
  if (ok == 0) throw Error({path, 0, ""}, "cannot write the screenshot PNG");
}

}  // namespace mnemo
