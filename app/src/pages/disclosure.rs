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
        <p>
            "Continuum never records who a survivor is. Its published figures (the oversight dashboard, its charts and CSV downloads, and the public statewide page) are counts of needs and units of capacity. A small count can still point at a person: three labor-trafficking needs in one region in one week may be enough for someone to recognise who they are. These rules keep every count from 1 to "
            {k - 1}" hidden, and keep it hidden when tables, totals and periods are put side by side."
        </p>
        <h2>"What is published"</h2>
        <ul>
            <li>
                "Needs by week and outcome (placed in region, not placed, placed outside region), statewide or for a planning region or a county, a victim type and a service family."
            </li>
            <li>"Needs not placed, by week, split by planning region, by county or by victim type."</li>
            <li>"The median hours from recording to placement, by the week a need was recorded."</li>
            <li>
                "Capacity (total and fresh free units) at the end of each week, and the share of services whose counts were fresh."
            </li>
            <li>
                "Free units by region and victim type: on the public page, and to funders on the gap matrix and the map."
            </li>
        </ul>
        <h2>"The rules"</h2>
        <ol>
            <li>
                <strong>"Whole weeks that have ended."</strong>
                " Every period starts on a Monday and ends on a Sunday before the current week (Connecticut time). Two periods can only differ by whole weeks, and a week's figures are not published while they still change day by day."
            </li>
            <li>
                <strong>"Small counts are hidden."</strong>
                " Counts from 1 to "
                {k - 1}
                " are hidden and show as “*”. Zeros are shown: a zero reveals no one."
            </li>
            <li>
                <strong>"One suppression for every view of a week."</strong>
                " A week's needs are counted once, in every combination a filter can choose (statewide, by planning region or by county, by victim type, by service family), and hidden together: a count that one view hides cannot be recovered from another, such as the statewide figure minus a region's, or all needs minus those involving housing. Planning regions and counties do not nest (Shelton is in Fairfield County but the Naugatuck Valley region), so a county minus the planning regions inside it would count the needs of a few towns: those overlaps are counted too, never published, and protected like any small count. A need keeps its planning region and county, never its town; needs recorded with a planning region alone are counted under “County not recorded”."
            </li>
            <li>
                <strong>"Totals never give a hidden count away."</strong>
                " Wherever a total is shown, the counts it adds up hide either nothing or at least two counts whose sum leaves each of them anywhere from 1 to "
                {k - 1}
                "; otherwise more counts, or the total, are hidden too. Counts hidden to protect a small one also show as “*”, so a reader cannot tell which is which."
            </li>
            <li>
                <strong>"Each week stands alone."</strong>
                " A total across weeks is shown only when every number it adds up is shown, so a longer period reveals nothing a shorter one hid."
            </li>
            <li>
                <strong>"Fixed rows and columns."</strong>
                " Every table lists every region and victim type, with zeros where nothing happened: a row that appeared only when a rare profile occurred would itself reveal it."
            </li>
            <li>
                <strong>"Medians only over enough people."</strong>
                " A week's median time to placement is shown only where the placed counts behind it are shown and add up to at least "
                {k}
                "."
            </li>
            <li>
                <strong>"Capacity needs several providers."</strong>
                " Total and free units are published only when at least "
                {MIN_CONTRIBUTORS}
                " organizations are behind them and the units in use (total minus free, which counts people) are none or at least "
                {k}
                ". Otherwise the week shows “*”: where a region has one safe house, total minus free would say how many people live there. A week's figures for every planning region, county and family are suppressed together, so neither the statewide figure minus the other regions' nor a county minus the planning regions inside it gives a hidden figure back."
            </li>
        </ol>
        <h2>"The audit"</h2>
        <p>
            "Checking each total against its own counts is not enough: someone who writes down every published count of a week and solves all its sums at once can sometimes work a hidden count out. So before a week is published, Continuum attacks it that way. It sets up the system a reader could (how many needs of each exact profile there were, at least none; every shown count fixes a sum, every hidden one is at least 1) and solves linear programs for the smallest and largest value each small count, and each group of hidden counts in one table line, could take. Where one could be told to within less than one need, the smallest shown count that includes one of those needs is hidden too, and the audit runs again, until nothing can be worked out. A test plays the reader over random weeks with its own programs and fails if it pins any count from 1 to "
            {k - 1}"."
        </p>
        <h2>"Known limits"</h2>
        <p>
            "Capacity figures and the gap matrix follow the rules above (each total checked against the figures it adds up) but are not part of the linear-programming audit of needs. A need closed after its week was published changes that week's figures; the audit then runs on the week as it now is."
        </p>
        <p>
            <a href="/public">"See the public statewide picture"</a>
            "."
        </p>
    }
}
