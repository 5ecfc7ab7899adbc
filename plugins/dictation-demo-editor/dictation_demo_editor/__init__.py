"""A demo EHR note editor that embeds dictation through the daemon's control socket.

Four sections (Subjective, Objective, Assessment, Plan) in one Tk window: the editor claims the target
for the section the user is in, inserts the daemon's edits itself, shows interim text in place, and
carries out the section commands (``next section``, ``go to plan section``, ``insert normal exam template``).
"""

__version__ = "0.1.0"
