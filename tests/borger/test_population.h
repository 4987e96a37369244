// The small population both borger.dk fixtures generate for KOMBIT: all five pilot
// municipalities at scale 0.002, seed 11 (a few hundred citizens, enough with cases).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "sim/generator.h"

namespace adda::testing {

inline void GenerateTestPopulation(const std::string& kombit_db) {
  auto inputs = sim::LoadGeneratorInputs(std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities");
  ASSERT_TRUE(inputs.ok());
  sim::GenerateOptions gen;
  gen.scale = 0.002;
  gen.seed = 11;
  ASSERT_TRUE(sim::GenerateDatabase(*inputs, gen, kombit_db, nullptr, nullptr).ok());
}

}  // namespace adda::testing
