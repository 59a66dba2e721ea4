//! Small server-rendered SVG charts: bars and lines with labelled axes, in colours that survive colour
//! blindness (Okabe-Ito). Each chart has a text summary; pages add the data table beside it.

use leptos::prelude::*;

/// Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
pub const PALETTE: [&str; 4] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"];

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 16.0;

/// A series: name and values (None draws nothing: a suppressed value).
#[derive(Clone)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// One value per category.
    pub values: Vec<Option<f64>>,
}

fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|v| *v >= max).unwrap_or(max)
}

fn axes(labels: &[String], max: f64, unit: &str) -> impl IntoView + use<> {
    let plot_w = W - LEFT - 8.0;
    let step = labels.len().div_ceil(8).max(1);
    let ticks = (0..=4).map(|i| {
        let v = max * f64::from(i) / 4.0;
        let y = H - BOTTOM - (H - BOTTOM - TOP) * f64::from(i) / 4.0;
        let text = if max <= 1.0 { format!("{:.0}%", v * 100.0) } else { format!("{v:.0}") };
        view! {
            <line x1=LEFT x2=W - 8.0 y1=y y2=y class="grid" />
            <text x=LEFT - 6.0 y=y + 4.0 text-anchor="end" class="tick">
                {text}
            </text>
        }
    });
    let band = plot_w / labels.len().max(1) as f64;
    let xlabels = labels.iter().enumerate().filter(|(i, _)| i % step == 0).map(|(i, l)| {
        let x = LEFT + band * (i as f64 + 0.5);
        view! {
            <text x=x y=H - BOTTOM + 16.0 text-anchor="middle" class="tick">
                {l.clone()}
            </text>
        }
    });
    let (ticks, xlabels, unit) = (ticks.collect_view(), xlabels.collect_view(), unit.to_owned());
    view! {
        {ticks}
        {xlabels}
        <text x=12.0 y=TOP + 4.0 class="unit">
            {unit}
        </text>
    }
}

/// A grouped bar chart.
#[component]
pub fn BarChart(
    title: String,
    unit: String,
    labels: Vec<String>,
    series: Vec<Series>,
    summary: String,
) -> impl IntoView {
    let max = nice_max(series.iter().flat_map(|s| s.values.iter().flatten()).fold(0.0, |m: f64, v| m.max(*v)));
    let plot_w = W - LEFT - 8.0;
    let band = plot_w / labels.len().max(1) as f64;
    let bar = (band * 0.8) / series.len().max(1) as f64;
    let scale = (H - BOTTOM - TOP) / max;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("{title}. {summary}")>
                {axes(&labels, max, &unit)}
                {series
                    .iter()
                    .enumerate()
                    .map(|(s, ser)| {
                        let color = PALETTE[s % PALETTE.len()];
                        ser.values
                            .iter()
                            .enumerate()
                            .filter_map(|(i, v)| v.map(|v| (i, v)))
                            .map(|(i, v)| {
                                let x = LEFT + band * i as f64 + band * 0.1 + bar * s as f64;
                                let h = v * scale;
                                view! {
                                    <rect x=x y=H - BOTTOM - h width=bar.max(1.0) height=h fill=color>
                                        <title>{format!("{}: {v}", ser.name)}</title>
                                    </rect>
                                }
                            })
                            .collect_view()
                    })
                    .collect_view()}
            </svg>
            <Caption title=title.clone() names=series.iter().map(|s| s.name.clone()).collect() summary />
        </figure>
    }
}

/// A line chart.
#[component]
pub fn LineChart(
    title: String,
    unit: String,
    labels: Vec<String>,
    series: Vec<Series>,
    summary: String,
) -> impl IntoView {
    let max = nice_max(series.iter().flat_map(|s| s.values.iter().flatten()).fold(0.0, |m: f64, v| m.max(*v)));
    let plot_w = W - LEFT - 8.0;
    let band = plot_w / labels.len().max(1) as f64;
    let scale = (H - BOTTOM - TOP) / max;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("{title}. {summary}")>
                {axes(&labels, max, &unit)}
                {series
                    .iter()
                    .enumerate()
                    .map(|(s, ser)| {
                        let points: Vec<String> = ser
                            .values
                            .iter()
                            .enumerate()
                            .filter_map(|(i, v)| {
                                v.map(|v| {
                                    format!("{:.1},{:.1}", LEFT + band * (i as f64 + 0.5), H - BOTTOM - v * scale)
                                })
                            })
                            .collect();
                        let dash = if s == 1 { "6 4" } else { "" };
                        view! {
                            <polyline
                                points=points.join(" ")
                                fill="none"
                                stroke=PALETTE[s % PALETTE.len()]
                                stroke-width="2.5"
                                stroke-dasharray=dash
                            />
                        }
                    })
                    .collect_view()}
            </svg>
            <Caption title=title.clone() names=series.iter().map(|s| s.name.clone()).collect() summary />
        </figure>
    }
}

/// Title, legend and text summary under a chart.
#[component]
fn Caption(title: String, names: Vec<String>, summary: String) -> impl IntoView {
    view! {
        <figcaption>
            <strong>{title}</strong>
            <ul class="legend">
                {names
                    .into_iter()
                    .enumerate()
                    .map(|(s, name)| {
                        view! {
                            <li>
                                <span class=format!("swatch series-{}", s % PALETTE.len())></span>
                                {name}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="chart-summary">{summary}</p>
        </figcaption>
    }
}
