"""One module per ``duban`` command; each holds the library function the command wraps.

=================  ==========================  =====================================
command            module                      function
=================  ==========================  =====================================
duban init         `actions.init`              `init_workspace`
duban master import `actions.master_import`    `import_master_file`
duban issue        `actions.issue`             `issue_returns`
duban collect      `actions.collect`           `collect`
duban check        `actions.check`             `check_paths`
duban merge        `actions.merge`             `merge`
duban status       `actions.status`            `status`
duban remind       `actions.remind`            `write_reminders`
duban memo         `actions.memo`              `write_memo`
duban run          `actions.run`               `run_cycle`
duban demo         `actions.demo`              `run_demo`
duban open         `actions.open`              `find_output`, `open_path`
duban excel-console `actions.excel_console`    `create_console`
duban verify       `actions.verify`            `open_questions`, `current`, `inbox_files`, `answer`,
                                               `recorded_answers`, `take_back`
=================  ==========================  =====================================

Importing this package imports none of them: the CLI loads the one it runs.
"""
