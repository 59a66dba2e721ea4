//! Users: invite (administrators any role, provider admins their colleagues), change role, disable.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::admin::{list_users, take_flashes};
use crate::api::views::UserView;
use crate::components::guard::Guarded;
use crate::components::messages::FormMessages;
use crate::domain::account::{Role, Viewer};

/// The users page.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <h1>"People"</h1>
        <FormMessages />
        <Guarded roles=crate::domain::access::Area::People.roles() children=|viewer| view! { <Users viewer /> } />
    }
}

#[component]
fn Users(viewer: Viewer) -> impl IntoView {
    let users = Resource::new(|| (), |_| list_users());
    let flashes = Resource::new(|| (), |_| take_flashes());
    let is_admin = viewer.role == Role::Administrator;
    let roles: Vec<Role> = if is_admin { Role::ALL.to_vec() } else { vec![Role::ProviderStaff, Role::ProviderAdmin] };
    let org = viewer.organization_ids.first().copied();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                flashes
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| {
                        view! {
                            <p class="message notice" role="status" data-testid="invite-link">
                                {f}
                            </p>
                        }
                    })
                    .collect_view()
            })}
        </Suspense>
        <h2>"Invite someone"</h2>
        <form method="post" action=crate::api::admin::InviteUser::PATH class="stacked-form">
            <label for="invite-email">"Email"</label>
            <input id="invite-email" name="email" type="email" required />
            <label for="invite-role">"Role"</label>
            <select id="invite-role" name="role">
                {roles.iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
            </select>
            {if is_admin {
                view! {
                    <label for="invite-org">"Organization id (provider roles only)"</label>
                    <input id="invite-org" name="organization_id" type="number" min="1" />
                }
                    .into_any()
            } else {
                view! { <input type="hidden" name="organization_id" value=org.unwrap_or_default().to_string() /> }
                    .into_any()
            }}
            <button type="submit">"Create invitation link"</button>
        </form>
        <h2>"Accounts"</h2>
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move { users.await.map(|list| view! { <UserTable users=list is_admin /> }) })}
        </Suspense>
    }
}

#[component]
fn UserTable(users: Vec<UserView>, is_admin: bool) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on small screens)">
            <table data-testid="user-table">
                <caption class="visually-hidden">"Accounts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        {is_admin.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {users
                        .into_iter()
                        .map(|u| {
                            let status = if u.disabled {
                                "Disabled"
                            } else if !u.active {
                                "Invited"
                            } else if u.totp_enabled {
                                "Active, 2FA on"
                            } else {
                                "Active"
                            };
                            let role = u.role.map_or("Unknown", Role::label);
                            let id = u.id.to_string();
                            view! {
                                <tr>
                                    <td>{u.display_name.clone()}</td>
                                    <td>{u.email.clone()}</td>
                                    <td>{role}</td>
                                    <td>{status}</td>
                                    {is_admin
                                        .then(|| {
                                            let label = format!(
                                                "{} {}",
                                                if u.disabled { "Enable" } else { "Disable" },
                                                u.email,
                                            );
                                            view! {
                                                <td>
                                                    <form
                                                        method="post"
                                                        action=crate::api::admin::SetUserDisabled::PATH
                                                        class="inline"
                                                    >
                                                        <input type="hidden" name="user_id" value=id.clone() />
                                                        <input
                                                            type="hidden"
                                                            name="disabled"
                                                            value=(!u.disabled).to_string()
                                                        />
                                                        <button type="submit" class="secondary" aria-label=label>
                                                            {if u.disabled { "Enable" } else { "Disable" }}
                                                        </button>
                                                    </form>
                                                    <form
                                                        method="post"
                                                        action=crate::api::admin::ResetLink::PATH
                                                        class="inline"
                                                    >
                                                        <input type="hidden" name="user_id" value=id.clone() />
                                                        <button
                                                            type="submit"
                                                            class="secondary"
                                                            aria-label=format!("Password reset link for {}", u.email)
                                                        >
                                                            "Reset link"
                                                        </button>
                                                    </form>
                                                    <form
                                                        method="post"
                                                        action=crate::api::admin::UnlockSignIn::PATH
                                                        class="inline"
                                                    >
                                                        <input type="hidden" name="user_id" value=id.clone() />
                                                        <button
                                                            type="submit"
                                                            class="secondary"
                                                            aria-label=format!("Unlock sign-in for {}", u.email)
                                                        >
                                                            "Unlock sign-in"
                                                        </button>
                                                    </form>
                                                    <form
                                                        method="post"
                                                        action=crate::api::admin::SetUserRole::PATH
                                                        class="inline"
                                                    >
                                                        <input type="hidden" name="user_id" value=id.clone() />
                                                        <label class="visually-hidden" for=format!("role-{id}")>
                                                            {format!("Role for {}", u.email)}
                                                        </label>
                                                        <select id=format!("role-{id}") name="role">
                                                            {Role::ALL
                                                                .iter()
                                                                .map(|r| {
                                                                    view! {
                                                                        <option value=r.code() selected=u.role == Some(*r)>
                                                                            {r.label()}
                                                                        </option>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                        <button type="submit" class="secondary">
                                                            "Change role"
                                                        </button>
                                                    </form>
                                                </td>
                                            }
                                        })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
