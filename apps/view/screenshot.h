// Screenshots: the window's pixels, read back from OpenGL, as a PNG file.
#pragma once

#include <string>
#include <vector>

namespace mnemo {

// An RGB image, top row first, 3 bytes per pixel.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> pixels;  // width * height * 3
};

// Reads the current GL context's back buffer (the default framebuffer,
// `width` x `height` pixels) and flips it so that the top row comes first.
// Call after drawing and before swapping buffers.
RgbImage ReadBackBuffer(int width, int height);

// Writes `image` to `path` as a PNG; an unwritable path is an Error.
void WritePng(const RgbImage& image, const std::string& path);

}  // namespace mnemo
