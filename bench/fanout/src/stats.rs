//! Percentiles of measured durations.

use std::time::Duration;

/// The `p`-th percentile (nearest rank) of `values`, in milliseconds; 0 for none.
pub fn percentile_ms(values: &mut [Duration], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_unstable();
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1].as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut values: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&mut values, 50.0), 50.0);
        assert_eq!(percentile_ms(&mut values, 99.0), 99.0);
        assert_eq!(percentile_ms(&mut values, 100.0), 100.0);
        assert_eq!(percentile_ms(&mut [], 99.0), 0.0);
    }
}
