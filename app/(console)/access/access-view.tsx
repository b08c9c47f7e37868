"use client";

import { Tab, TabGroup, TabList, TabPanel, TabPanels } from "@headlessui/react";
import { useSearchParams } from "next/navigation";
import { PageHeader } from "../../_components/page-header";
import { EmptyState } from "../../_components/states";
import { useMe } from "../../_components/use-me";
import { BindingsTab } from "./bindings-tab";
import { TokensTab } from "./tokens-tab";
import { UsersTab } from "./users-tab";

const TABS = [
  { id: "users", label: "Users", resource: "users", Panel: UsersTab },
  { id: "bindings", label: "Role bindings", resource: "rolebindings", Panel: BindingsTab },
  { id: "tokens", label: "API tokens", resource: "tokens", Panel: TokensTab },
] as const;

/** Users, role bindings and API tokens; each tab only for those who may view it. `?tab=` keeps the choice. */
export function AccessView() {
  const searchParams = useSearchParams();
  const { canSome } = useMe();
  const tabs = TABS.filter((tab) => canSome("view", tab.resource));
  const selected = Math.max(
    0,
    tabs.findIndex((tab) => tab.id === searchParams.get("tab")),
  );

  if (tabs.length === 0) {
    return (
      <>
        <PageHeader title="Access" />
        <EmptyState title="Nothing to manage here">
          You may not view users, role bindings or other people&apos;s tokens. Your own tokens are under My account.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Access" description="Who may use the gateway, and what they may do." />
      <TabGroup selectedIndex={selected} onChange={(index) => window.history.replaceState(null, "", `/access?tab=${tabs[index]!.id}`)}>
        <TabList className="mb-5 flex gap-1 border-b border-slate-200">
          {tabs.map((tab) => (
            <Tab
              key={tab.id}
              className="-mb-px border-b-2 border-transparent px-4 py-2 text-sm font-medium text-slate-500 hover:text-slate-700 focus:outline-none data-focus:ring-2 data-focus:ring-indigo-400 data-selected:border-indigo-600 data-selected:text-indigo-700"
            >
              {tab.label}
            </Tab>
          ))}
        </TabList>
        <TabPanels>
          {tabs.map((tab) => (
            <TabPanel key={tab.id} className="focus:outline-none">
              <tab.Panel />
            </TabPanel>
          ))}
        </TabPanels>
      </TabGroup>
    </>
  );
}
