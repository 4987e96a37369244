#include "sim/run_metrics.h"

#include <cmath>

namespace adda::sim {
namespace {

template <typename Map, typename MergeOne>
void MergeMap(Map& into, Map& from, MergeOne merge) {
  for (auto& [k, v] : from) merge(into[k], v);
}

void Append(std::vector<double>& into, const std::vector<double>& from) {
  into.insert(into.end(), from.begin(), from.end());
}

}  // namespace

void Cohort::Merge(const Cohort& o) {
  journeys += o.journeys;
  ok += o.ok;
  failed += o.failed;
  abandoned += o.abandoned;
  requests += o.requests;
  errors += o.errors;
  latency.Merge(o.latency);
  Append(time_on_task_s, o.time_on_task_s);
  Append(sus, o.sus);
  Append(ratings, o.ratings);
}

void StepMetrics::Merge(const StepMetrics& o) {
  count += o.count;
  errors += o.errors;
  corrected.Merge(o.corrected);
  raw.Merge(o.raw);
  for (const auto& [k, v] : o.errors_by_class) errors_by_class[k] += v;
}

TimeBucket& RunMetrics::BucketAt(double seconds) {
  const size_t i = seconds <= 0 ? 0 : static_cast<size_t>(seconds / bucket_s);
  if (i >= timeline.size()) timeline.resize(i + 1);
  return timeline[i];
}

void RunMetrics::Merge(RunMetrics&& o) {
  for (int s = 0; s < kStepCount; ++s) steps[s].Merge(o.steps[s]);
  MergeMap(step_cohorts, o.step_cohorts, [](StepMetrics& a, const StepMetrics& b) { a.Merge(b); });
  for (const auto& pair : {std::make_pair(&journeys, &o.journeys), std::make_pair(&municipalities, &o.municipalities),
                     std::make_pair(&personas, &o.personas), std::make_pair(&age_bands, &o.age_bands)})
    MergeMap(*pair.first, *pair.second, [](Cohort& a, const Cohort& b) { a.Merge(b); });
  all.Merge(o.all);
  for (const auto& [k, v] : o.errors_by_class) errors_by_class[k] += v;
  if (o.timeline.size() > timeline.size()) timeline.resize(o.timeline.size());
  for (size_t i = 0; i < o.timeline.size(); ++i) {
    timeline[i].requests += o.timeline[i].requests;
    timeline[i].errors += o.timeline[i].errors;
    timeline[i].latency.Merge(o.timeline[i].latency);
  }
  if (o.windows.size() > windows.size()) windows.resize(o.windows.size());
  for (size_t i = 0; i < o.windows.size(); ++i) {
    windows[i].requests += o.windows[i].requests;
    windows[i].errors += o.windows[i].errors;
    windows[i].stale_answers += o.windows[i].stale_answers;
  }
  for (const auto& [k, v] : o.defects) {
    defects[k].present += v.present;
    defects[k].noticed += v.noticed;
    defects[k].reported += v.reported;
  }
  for (const auto& [k, v] : o.usage) usage[k] += v;
  journeys_started += o.journeys_started;
  journeys_cut += o.journeys_cut;
  arrivals_dropped += o.arrivals_dropped;
  feedback_posted += o.feedback_posted;
  feedback_errors += o.feedback_errors;
  for (auto& row : o.feedback_rows) feedback_rows.push_back(std::move(row));
}

}  // namespace adda::sim
