// cli/Session: strict numbers and sizes, the default memory cap, and which
// failures are bad input (exit 2) and which are bugs of ksim (exit 70).

#include "cli/Session.hpp"

#include <gtest/gtest.h>

#include <new>
#include <stdexcept>
#include <string>

#include "model/Scenario.hpp"
#include "sim/Check.hpp"

namespace ksim::cli {
namespace {

TEST(SessionTest, CountsAreDecimalDigitsOnly) {
  EXPECT_EQ(parseCount("0"), 0u);
  EXPECT_EQ(parseCount("5000000"), 5'000'000u);
  EXPECT_EQ(parseCount("18446744073709551615"), UINT64_MAX);
  for (const char* bad :
       {"", "-1", "+1", "-0", "010", "00", "0x10", "1e6", " 1", "1 ", "18446744073709551616", "1.5"})
    EXPECT_EQ(parseCount(bad), std::nullopt) << bad;
}

TEST(SessionTest, SizesAreBytesOrBinaryMultiples) {
  EXPECT_EQ(parseByteSize("1024"), 1024u);
  EXPECT_EQ(parseByteSize("1K"), 1024u);
  EXPECT_EQ(parseByteSize("512M"), 512ull << 20);
  EXPECT_EQ(parseByteSize("3G"), 3ull << 30);
  EXPECT_EQ(parseByteSize("3g"), 3ull << 30);
  EXPECT_EQ(parseByteSize("3GiB"), 3ull << 30);
  EXPECT_EQ(parseByteSize("3GB"), 3ull << 30);
  EXPECT_EQ(parseByteSize("2T"), 2ull << 40);
  EXPECT_EQ(parseByteSize("0"), 0u);
  for (const char* bad : {"", "-1", "-1G", "G", "3X", "3 G", "3Gb", "3GiBs", "1.5G", "16777216T"})
    EXPECT_EQ(parseByteSize(bad), std::nullopt) << bad;
}

TEST(SessionTest, BytesAreShownInBinaryUnits) {
  EXPECT_EQ(formatBytes(800), "800 bytes");
  EXPECT_EQ(formatBytes(3ull << 30), "3.00 GiB");
  EXPECT_EQ(formatBytes(1536), "1.50 KiB");
}

constexpr const char* kMeminfo =
    "MemTotal:       24000000 kB\n"
    "MemFree:        20000000 kB\n"
    "MemAvailable:    4000000 kB\n";

TEST(SessionTest, DefaultCapIsHalfOfMemAvailable) {
  MemoryCap cap = defaultMemoryCap(kMeminfo, "max\n", "123\n");
  EXPECT_EQ(cap.bytes, 4'000'000ull * 1024 / 2);
  EXPECT_EQ(cap.origin, "50 % of MemAvailable, 3.81 GiB");
}

TEST(SessionTest, DefaultCapHonoursASmallerCgroupLimitLessItsUsage) {
  MemoryCap cap = defaultMemoryCap(kMeminfo, "2147483648\n", "1073741824\n");
  EXPECT_EQ(cap.bytes, 1073741824ull / 2);
  EXPECT_EQ(cap.origin, "50 % of the cgroup's memory.max less its usage, 1.00 GiB");
  // A cgroup limit above what the machine has changes nothing.
  EXPECT_EQ(defaultMemoryCap(kMeminfo, "99999999999999\n", "0\n").bytes, 4'000'000ull * 1024 / 2);
}

TEST(SessionTest, NoCapWhenNothingSaysWhatIsAvailable) {
  EXPECT_EQ(defaultMemoryCap("", "", "").bytes, 0u);
  EXPECT_EQ(defaultMemoryCap("MemAvailable: lots\n", "max\n", "").bytes, 0u);
}

Failure classify(auto&& exception, const std::string& activity = "checking rfc-2014") {
  return classifyFailure(std::make_exception_ptr(exception), activity);
}

TEST(SessionTest, BadInputExitsTwoWithItsOwnLine) {
  Failure usage = classify(UsageError("unknown variant 'nope'"));
  EXPECT_EQ(usage.exitCode, kExitUsage);
  EXPECT_EQ(usage.line, "ksim: unknown variant 'nope'");
  Failure scenario = classify(model::ScenarioError("x.scenario:4: unknown call 'frok'"));
  EXPECT_EQ(scenario.exitCode, 2);
  EXPECT_EQ(scenario.line, "ksim: x.scenario:4: unknown call 'frok'");
}

TEST(SessionTest, AnythingElseIsAnInternalErrorNamingWhatKsimWasDoing) {
  for (const Failure& f : {classify(std::out_of_range("vector::at")), classify(std::logic_error("oops")),
                           classify(std::bad_alloc()), classify(42)}) {
    EXPECT_EQ(f.exitCode, kExitInternal);
    EXPECT_EQ(f.exitCode, 70);
    EXPECT_EQ(f.line.rfind("ksim: internal error while checking rfc-2014: ", 0), 0u) << f.line;
  }
  EXPECT_NE(classify(std::out_of_range("vector::at")).line.find("vector::at"), std::string::npos);
  EXPECT_NE(classify(std::bad_alloc()).line.find("out of memory"), std::string::npos);
}

TEST(SessionTest, AnActivityEndedByAnExceptionStaysCurrentForItsHandler) {
  EXPECT_EQ(Activity::current(), "starting");
  {
    Activity outer("checking rfc-2014");
    { Activity inner("judging progress"); }
    EXPECT_EQ(Activity::current(), "checking rfc-2014");
  }
  EXPECT_EQ(Activity::current(), "starting");
  try {
    Activity outer("comparing a with b");
    throw std::logic_error("bug");
  } catch (const std::logic_error&) {
    EXPECT_EQ(Activity::current(), "comparing a with b");
  }
}

// A failed KSIM_VERIFY in the engine is an internal error: its own line,
// then "internal error while ...", exit 70 (not an abort).
TEST(SessionDeathTest, FailedVerifyExitsSeventyNamingTheActivity) {
  EXPECT_EXIT(
      {
        installInternalBugHandler();
        Activity activity("checking proposed");
        KSIM_VERIFY(1 + 1 == 3, "arithmetic is broken");
      },
      testing::ExitedWithCode(70),
      "\\[ksim internal bug\\] .*SessionTest\\.cpp:[0-9]+: arithmetic is broken\n"
      "ksim: internal error while checking proposed");
}

}  // namespace
}  // namespace ksim::cli
