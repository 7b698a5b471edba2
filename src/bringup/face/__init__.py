"""The face of bringup: the click commands, what the console shows, the questions a person
answers, and the renderings of every command's result. The only part that imports click, rich
or questionary."""
