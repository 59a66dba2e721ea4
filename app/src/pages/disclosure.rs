//! The disclosure policy, written down for funders, auditors and the public: what is published, the rules
//! that keep small counts hidden, and why.

use leptos::prelude::*;

use crate::domain::suppression::{DEFAULT_K, MIN_CONTRIBUTORS};

/// The disclosure policy page (public).
#[component]
pub fn DisclosurePage() -> impl IntoView {
    let k = DEFAULT_K;
    view! {
        <h1>"Disclosure policy"</h1>
        <p>"Continuum never records who a survivor is. Its published figures (the oversight dashboard, its charts and CSV downloads, and the public statewide page) are counts of needs and units of capacity. A small count can still point at a person: three labor-trafficking needs in one region in one week may be enough for someone to recognise who they are. These rules keep every count from 1 to "{k - 1}" hidden, and keep it hidden when tables, totals and periods are put side by side."</p>
        <h2>"What is published"</h2>
        <ul>
            <li>"Needs by week and outcome (placed in region, not placed, placed outside region), statewide or for one planning region, victim type or service family."</li>
            <li>"Unmet needs by week, split by region, victim type, service category or reason."</li>
            <li>"Time from recording to placement, by the week a need was recorded."</li>
            <li>"Capacity (total and fresh free units) at the end of each week, and the share of services whose counts were fresh."</li>
            <li>"On the public page: fresh free units by region and victim type, with no organization named."</li>
        </ul>
        <h2>"The rules"</h2>
        <ol>
            <li><strong>"Whole weeks that have ended."</strong>" Every period starts on a Monday and ends on a Sunday before the current week (Connecticut time). Two periods can only differ by whole weeks, and a week's figures are not published while they still change day by day."</li>
            <li><strong>"Small counts are hidden."</strong>" Counts from 1 to "{k - 1}" are shown as “<"{k}"”. Zeros are shown: a zero reveals no one."</li>
            <li><strong>"Totals never give a hidden cell away."</strong>" Where a line (a week's row, or a table's row or column) shows its total, it hides either nothing or at least two cells whose sum leaves each of them anywhere from 1 to "{k - 1}"; otherwise more cells, or the total, are hidden too. Hidden cells that protect a small one also show as “<"{k}"”, so a reader cannot tell which is which."</li>
            <li><strong>"Each week stands alone."</strong>" A week's figures are suppressed on their own, so they read the same in every period that contains it, and a total across weeks is shown only when every number it adds up is shown. A longer period therefore reveals nothing a shorter one hid."</li>
            <li><strong>"Fixed rows and columns."</strong>" Every table lists every region, victim type, category or reason, with zeros where nothing happened: a row that appeared only when a rare profile occurred would itself reveal it."</li>
            <li><strong>"Capacity needs several providers."</strong>" Total and free units are published only when at least "{MIN_CONTRIBUTORS}" organizations are behind them and the units in use (total minus free, which counts people) are none or at least "{k}". Otherwise the week is hidden: where a region has one safe house, total minus free would say how many people live there."</li>
        </ol>
        <h2>"Known limits"</h2>
        <p>"Figures for the same week, filtered by region and by victim type, are each suppressed on their own; a reader who combines every filter for one week can narrow some hidden cells. Suppressing all filtered views of a week together, checked by solving for each hidden cell's bounds, is the next step of this policy. A need closed after its week has been published changes that week's figures."</p>
        <p><a href="/public">"See the public statewide picture"</a>"."</p>
    }
}
